/**
 * Writes a wire pack (docs/protocol.md, Wire packs): chunks grouped into blocks of about 64 KiB, one tar entry per
 * block, the whole tar archive deflated (raw, level 1). A one-chunk pack is about 150 bytes. Blocks carry their
 * chunks' ids unless `ids: false`, for a reader that takes blocks without them: it hashes every chunk anyway, and
 * an id (32 bytes that do not compress) costs more than a compressed line of text.
 *
 * Bytes that do not compress (photos, sealed chunks) are stored in the deflate stream instead (level 0): deflating
 * 8 MiB of them at level 1 took 177 ms to save nothing, storing them 3 ms. Each block is judged by its chunks'
 * bytes; the archive is cut into runs of blocks alike, each deflated on its own and the outputs joined (every
 * run but the last ends on a byte boundary, not final, as pigz joins its parts): one stream any inflater reads. A
 * pack of text alone is one run, the same bytes as before.
 */
import zlib from 'node:zlib'
import {promisify} from 'node:util'
import tar from 'tar-stream'
import {IdList} from '../../chunk/id-list.js'
import {BlockBuilder} from '../../store/block-builder.js'
import {BLOCK_MAX_CHUNKS, BLOCK_TARGET_BYTES} from '../../store/limits.js'
import {blockEntryName, type PackChunk} from './pack-chunk.js'

const deflateRaw = promisify(zlib.deflateRaw)

/** A block whose chunk bytes level 1 keeps more of than this is stored (judged by samples spread over them). */
const STORED_ABOVE = 0.95
const SAMPLES = 4
const SAMPLE_BYTES = 1024
/** A tar entry is a 512-byte header, then its data padded to 512 bytes. */
const TAR_RECORD = 512

export async function encodePack(chunks: AsyncIterable<PackChunk> | Iterable<PackChunk>, options: {ids?: boolean} = {}): Promise<Buffer> {
  const withIds = options.ids ?? true
  const archive = tar.pack()
  const builder = new BlockBuilder()
  let ids = new IdList()
  const entries: Entry[] = []
  const seal = () => {
    const {plain, header} = builder.build(withIds ? ids.toBuffer() : undefined)
    entries.push({size: plain.length, stored: compressesPoorly(plain.subarray(header))})
    archive.entry({name: blockEntryName(entries.length - 1), size: plain.length, mtime: new Date(0), mode: 0o644}, plain)
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
  const tarred = Buffer.concat(parts)
  return deflateRuns(tarred, runsOf(entries, tarred.length))
}

/** A block in the archive: its size, and whether its chunk bytes are stored rather than deflated. */
export interface Entry {
  size: number
  stored: boolean
}

/** A stretch of the archive deflated on its own: at level 1, or stored. */
export interface Run {
  stored: boolean
  start: number
  end: number
}

/**
 * The archive as runs of blocks alike (each block with its tar header and padding), the archive's end deflated.
 * An archive laid out otherwise than tar's records (never, from tar-stream) is one deflated run.
 */
export function runsOf(entries: readonly Entry[], archiveLength: number): Run[] {
  const runs: Run[] = []
  let at = 0
  const extend = (stored: boolean, end: number) => {
    const last = runs.at(-1)
    if (last?.stored === stored) last.end = end
    else runs.push({stored, start: at, end})
    at = end
  }
  for (const {size, stored} of entries) extend(stored, at + TAR_RECORD + Math.ceil(size / TAR_RECORD) * TAR_RECORD)
  if (at > archiveLength) return [{stored: false, start: 0, end: archiveLength}]
  extend(false, archiveLength)
  return runs
}

async function deflateRuns(archive: Buffer, runs: readonly Run[]): Promise<Buffer> {
  const outputs: Buffer[] = []
  for (const [i, run] of runs.entries()) {
    const final = i === runs.length - 1
    outputs.push(
      await deflateRaw(archive.subarray(run.start, run.end), {
        level: run.stored ? 0 : 1,
        finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
      }),
    )
  }
  return outputs.length === 1 ? outputs[0] : Buffer.concat(outputs)
}

function compressesPoorly(bytes: Buffer): boolean {
  // A few bytes cost nothing to deflate, and their sample says nothing (deflate's own overhead is most of it).
  if (bytes.length < SAMPLE_BYTES * SAMPLES) return false
  const step = Math.max(SAMPLE_BYTES, Math.floor(bytes.length / SAMPLES))
  const samples: Buffer[] = []
  for (let at = 0; at < bytes.length; at += step) samples.push(bytes.subarray(at, at + SAMPLE_BYTES))
  const sampled = Buffer.concat(samples)
  return zlib.deflateRawSync(sampled, {level: 1}).length > sampled.length * STORED_ABOVE
}
