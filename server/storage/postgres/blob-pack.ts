/**
 * A pack as one immutable blob: compressed blocks (src/store/block.ts, block-compression.ts), one after another,
 * no container around them; the index (`chunks`) says where each block starts, how long it is and where each chunk
 * sits in its inflated block. Blocks are sealed as src/store seals them: past 64 KiB of chunks (256 KiB when the
 * chunks average 1 KiB or more), or at the chunk count bound.
 */
import {keyToHex, sha256Hex} from '#src/chunk/hash.js'
import {CorruptDataError} from '#src/errors/index.js'
import {BlockBuilder} from '#src/store/block-builder.js'
import {compressBlock, decompressBlock} from '#src/store/block-compression.js'
import type {ChunkLocation} from '#src/store/index-entry.js'
import {blockIsFull, MAX_BLOCK_PLAIN_BYTES} from '#src/store/limits.js'

export interface PackedChunk {
  /** The id as hash.ts's key (32 bytes in a latin1 string). */
  key: string
  location: Omit<ChunkLocation, 'pack'>
}

/** Chunk bytes one pack holds at most: bounded memory at a flush, and offsets well inside 32 bits. */
const PACK_BYTES = 64 * 1024 * 1024

/** Chunks (key, bytes) as the lists of packs of at most PACK_BYTES of chunks. */
export function* packsOf(chunks: Iterable<[string, Uint8Array]>): Iterable<[string, Uint8Array][]> {
  let pack: [string, Uint8Array][] = []
  let bytes = 0
  for (const chunk of chunks) {
    if (bytes + chunk[1].length > PACK_BYTES && pack.length > 0) {
      yield pack
      pack = []
      bytes = 0
    }
    pack.push(chunk)
    bytes += chunk[1].length
  }
  if (pack.length > 0) yield pack
}

/** Chunks (key -> bytes) as the bytes of one pack, and where each chunk went. */
export async function buildPack(chunks: Iterable<[string, Uint8Array]>): Promise<{bytes: Buffer; placed: PackedChunk[]}> {
  const builder = new BlockBuilder()
  const parts: Buffer[] = []
  const placed: PackedChunk[] = []
  let size = 0
  let open: {key: string; at: number}[] = []
  const seal = async () => {
    const {plain, header} = builder.build()
    const stored = await compressBlock(plain)
    const length = stored.reduce((sum, part) => sum + part.length, 0)
    for (const {key, at} of open) placed.push({key, location: {blockOffset: size, blockLength: length, offset: header + at, length: 0}})
    // Stored (incompressible) parts are views of `plain`: copied before the builder reuses it.
    parts.push(Buffer.concat(stored))
    size += length
    open = []
  }
  const lengths = new Map<string, number>()
  for (const [key, bytes] of chunks) {
    open.push({key, at: builder.add(bytes, 0, bytes.length)})
    lengths.set(key, bytes.length)
    if (blockIsFull(builder.byteLength, builder.count)) await seal()
  }
  if (builder.count > 0) await seal()
  for (const chunk of placed) chunk.location.length = lengths.get(chunk.key)!
  return {bytes: Buffer.concat(parts, size), placed}
}

/** A stored block, inflated. */
export function inflateBlock(stored: Buffer): Promise<Buffer> {
  return decompressBlock(stored, MAX_BLOCK_PLAIN_BYTES)
}

/** The chunk `key` at `location` of an inflated block, checked against its id. */
export function chunkOf(plain: Buffer, key: string, location: Pick<ChunkLocation, 'offset' | 'length'>, where: string): Buffer {
  const chunk = plain.subarray(location.offset, location.offset + location.length)
  const id = keyToHex(key)
  if (chunk.length !== location.length || sha256Hex(chunk) !== id) throw new CorruptDataError(`chunk ${id} in ${where} does not match its id`, {id})
  return chunk
}
