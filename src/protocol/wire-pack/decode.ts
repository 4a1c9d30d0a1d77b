/**
 * Reads a wire pack sent by a peer, trusting nothing: the compressed and inflated sizes are bounded (a deflate
 * bomb stops at the limit), every tar entry must be the next `NNNNNNNN.blk` file and a well-formed block, and
 * every chunk of a block with ids must hash to its id. All or nothing: any mismatch is ChunkMismatchError naming
 * every bad id, and no chunk is returned. A block without ids gives each chunk the id its bytes hash to: the
 * caller checks that these are the chunks it wanted.
 */
import tar from 'tar-stream'
import {keyToHex, sha256Hex, sha256Key} from '../../chunk/hash.js'
import {ID_BYTES} from '../../chunk/chunk-id.js'
import {BadPackError, ChunkMismatchError, CorruptDataError, isSyncError, TooLargeError} from '../../errors/index.js'
import {decodeBlock} from '../../store/block.js'
import {inflateBounded} from '../../store/block-compression.js'
import {MAX_BLOCK_PLAIN_BYTES, MAX_CHUNK_BYTES} from '../../store/limits.js'
import {blockEntryName, type PackChunk} from './pack-chunk.js'
import {PACK_LIMITS, type PackLimits} from './limits.js'

export async function decodePack(compressed: Uint8Array, limits: PackLimits = PACK_LIMITS): Promise<PackChunk[]> {
  if (compressed.length > limits.maxCompressed) throw new TooLargeError('the pack', limits.maxCompressed)
  const archive = await inflate(compressed, limits.maxInflated)
  const chunks: PackChunk[] = []
  const mismatched: string[] = []
  const extract = tar.extract()
  extract.end(archive)
  let index = 0
  try {
    for await (const entry of extract) {
      const plain = await readEntry(entry, index++)
      checkBlock(plain, chunks, mismatched)
    }
  } catch (error) {
    if (isSyncError(error)) throw error
    throw new BadPackError((error as Error).message, {cause: error})
  }
  if (mismatched.length > 0) throw new ChunkMismatchError(mismatched)
  return chunks
}

async function inflate(compressed: Uint8Array, maxInflated: number): Promise<Buffer> {
  try {
    return await inflateBounded(compressed, maxInflated)
  } catch (error) {
    if (error instanceof TooLargeError) throw new TooLargeError('the inflated pack', maxInflated)
    if (error instanceof CorruptDataError) throw new BadPackError('it does not inflate (truncated or not a pack)', {cause: error})
    throw error
  }
}

async function readEntry(entry: AsyncIterable<unknown> & {header: tar.Header}, index: number): Promise<Buffer> {
  const {name, type, size, pax} = entry.header
  if (name !== blockEntryName(index)) throw new BadPackError(`entry ${index} is named '${name.slice(0, 100)}', expected ${blockEntryName(index)}`)
  if (type !== 'file' || pax) throw new BadPackError(`entry ${name} is not a plain file`)
  if (size > MAX_BLOCK_PLAIN_BYTES) throw new BadPackError(`block ${name} is ${size} bytes, over the limit of ${MAX_BLOCK_PLAIN_BYTES}`)
  const parts: Buffer[] = []
  for await (const part of entry) parts.push(part as Buffer)
  return Buffer.concat(parts)
}

function checkBlock(plain: Buffer, chunks: PackChunk[], mismatched: string[]): void {
  let block
  try {
    block = decodeBlock(plain)
  } catch (error) {
    if (error instanceof CorruptDataError) throw new BadPackError(error.message)
    throw error
  }
  const {ids, count, offsets, lengths} = block
  if (count === 0) throw new BadPackError('a block without chunks')
  for (let i = 0; i < count; i++) {
    if (lengths[i] > MAX_CHUNK_BYTES) throw new TooLargeError('a chunk', MAX_CHUNK_BYTES)
    const bytes = plain.subarray(offsets[i], offsets[i] + lengths[i])
    if (!ids) {
      chunks.push({id: sha256Hex(bytes), bytes})
      continue
    }
    const key = ids.toString('latin1', i * ID_BYTES, (i + 1) * ID_BYTES)
    if (sha256Key(bytes) === key) chunks.push({id: keyToHex(key), bytes})
    else mismatched.push(keyToHex(key))
  }
}
