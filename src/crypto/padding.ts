/**
 * Padding of sealed plaintexts, so that a sealed length tells only a bucket: one 0x80 byte, then zeros (ISO/IEC
 * 7816-4), up to the bucket. Chunks: a power of two from 32 to 1024 bytes (a recipe line is 32 or 64 or 128),
 * then a multiple of 256 (at most 25% more for a chunk of 1 KiB, under 0.4% for the 64 KiB of binary chunks).
 * Names: a multiple of 16 (paths are short; their length in 16-byte steps is all a sealed name tells).
 */
import {SealBrokenError} from '../errors/index.js'

export function chunkBucket(length: number): number {
  if (length <= 1024) return Math.max(32, 2 ** Math.ceil(Math.log2(length)))
  return Math.ceil(length / 256) * 256
}

export const nameBucket = (length: number): number => Math.ceil(length / 16) * 16

/** `bytes`, the marker and zeros up to `bucket(length + 1)`. */
export function pad(bytes: Uint8Array, bucket: (length: number) => number): Buffer {
  const padded = Buffer.alloc(bucket(bytes.length + 1))
  padded.set(bytes)
  padded[bytes.length] = 0x80
  return padded
}

export function unpad(padded: Buffer, what: string): Buffer {
  let end = padded.length - 1
  while (end >= 0 && padded[end] === 0) end--
  if (end < 0 || padded[end] !== 0x80) throw new SealBrokenError(`${what}: its padding is malformed`)
  return padded.subarray(0, end)
}
