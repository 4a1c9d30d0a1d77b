/**
 * Writes a wire pack (docs/protocol.md, Wire packs): chunks grouped into blocks of about 64 KiB, one tar entry per
 * block, the whole tar archive deflated (raw, level 1). A one-chunk pack is about 150 bytes. Blocks carry their
 * chunks' ids unless `ids: false`, for a reader that takes blocks without them: it hashes every chunk anyway, and
 * an id (32 bytes that do not compress) costs more than a compressed line of text.
 */
import zlib from 'node:zlib'
import {promisify} from 'node:util'
import tar from 'tar-stream'
import {IdList} from '../../chunk/id-list.js'
import {BlockBuilder} from '../../store/block-builder.js'
import {BLOCK_MAX_CHUNKS, BLOCK_TARGET_BYTES} from '../../store/limits.js'
import {blockEntryName, type PackChunk} from './pack-chunk.js'

const deflateRaw = promisify(zlib.deflateRaw)

export async function encodePack(chunks: AsyncIterable<PackChunk> | Iterable<PackChunk>, options: {ids?: boolean} = {}): Promise<Buffer> {
  const withIds = options.ids ?? true
  const archive = tar.pack()
  const builder = new BlockBuilder()
  let ids = new IdList()
  let blocks = 0
  const seal = () => {
    const {plain} = builder.build(withIds ? ids.toBuffer() : undefined)
    archive.entry({name: blockEntryName(blocks++), size: plain.length, mtime: new Date(0), mode: 0o644}, plain)
    ids = new IdList()
  }
  for await (const chunk of chunks) {
    builder.add(chunk.bytes, 0, chunk.bytes.length)
    if (withIds) ids.pushHex(chunk.id)
    if (builder.byteLength >= BLOCK_TARGET_BYTES || builder.count >= BLOCK_MAX_CHUNKS) seal()
  }
  if (builder.count > 0) seal()
  archive.finalize()
  const parts: Buffer[] = []
  for await (const part of archive) parts.push(part as Buffer)
  return deflateRaw(Buffer.concat(parts), {level: 1})
}
