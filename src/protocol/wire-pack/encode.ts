/**
 * Writes a wire pack (docs/protocol.md, Wire packs): chunks grouped into blocks of about 64 KiB (with their ids),
 * one tar entry per block, the whole tar archive deflated (raw, level 1). A one-chunk pack is about 150 bytes.
 */
import zlib from 'node:zlib'
import {promisify} from 'node:util'
import tar from 'tar-stream'
import {IdList} from '../../chunk/id-list.js'
import {BlockBuilder} from '../../store/block-builder.js'
import {BLOCK_MAX_CHUNKS, BLOCK_TARGET_BYTES} from '../../store/limits.js'
import {blockEntryName, type PackChunk} from './pack-chunk.js'

const deflateRaw = promisify(zlib.deflateRaw)

export async function encodePack(chunks: AsyncIterable<PackChunk> | Iterable<PackChunk>): Promise<Buffer> {
  const archive = tar.pack()
  const builder = new BlockBuilder()
  let ids = new IdList()
  let blocks = 0
  const seal = () => {
    const {plain} = builder.build(ids.toBuffer())
    archive.entry({name: blockEntryName(blocks++), size: plain.length, mtime: new Date(0), mode: 0o644}, plain)
    ids = new IdList()
  }
  for await (const chunk of chunks) {
    builder.add(chunk.bytes, 0, chunk.bytes.length)
    ids.pushHex(chunk.id)
    if (builder.byteLength >= BLOCK_TARGET_BYTES || builder.count >= BLOCK_MAX_CHUNKS) seal()
  }
  if (builder.count > 0) seal()
  archive.finalize()
  const parts: Buffer[] = []
  for await (const part of archive) parts.push(part as Buffer)
  return deflateRaw(Buffer.concat(parts), {level: 1})
}
