/** Size limits of the store format; readers enforce them on everything they inflate or parse. */

/** A block is sealed once it holds this many bytes of chunks (reading a line inflates its whole block)... */
export const BLOCK_TARGET_BYTES = 64 * 1024
/**
 * ...or this many when its chunks average LARGE_CHUNK_BYTES or more: content-defined chunks of binary files and
 * runs of lines of big text files, bulk input read back whole, file by file, where each block's cost to seal,
 * compress and write counts (100 MB of photos: 1,600 blocks of 64 KiB took 0.36 s to hashify here, 400 of
 * 256 KiB 0.33 s; brotli compresses text in 256 KiB blocks in 0.8x the time of 64 KiB ones)...
 */
export const LARGE_BLOCK_TARGET_BYTES = 256 * 1024
export const LARGE_CHUNK_BYTES = 1024
/** ...or this many chunks (bounds the header of a block of tiny lines). */
export const BLOCK_MAX_CHUNKS = 16 * 1024

/** Whether a block holding `count` chunks of `byteLength` bytes in all is full (the rule above). */
export function blockIsFull(byteLength: number, count: number): boolean {
  const target = byteLength >= count * LARGE_CHUNK_BYTES ? LARGE_BLOCK_TARGET_BYTES : BLOCK_TARGET_BYTES
  return byteLength >= target || count >= BLOCK_MAX_CHUNKS
}
/** The largest chunk the store takes (`save-chunk`); the chunkers never make one over 64 KiB. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024
/** No plain block is ever larger: header of BLOCK_MAX_CHUNKS chunks with ids, plus one maximal chunk. */
export const MAX_BLOCK_PLAIN_BYTES = LARGE_BLOCK_TARGET_BYTES + MAX_CHUNK_BYTES + BLOCK_MAX_CHUNKS * 36 + 8
/** A pack file is closed and a new one started past this size, so offsets fit in 32 bits. */
export const PACK_ROTATE_BYTES = 256 * 1024 * 1024
