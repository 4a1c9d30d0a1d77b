/**
 * Content-defined chunking (FastCDC, Xia et al. 2016): a gear rolling hash over the bytes, with normalized
 * chunking (a harder mask before the average size, an easier one after), so that boundaries depend only on
 * the bytes near them and an insert shifts at most the chunks around it.
 *
 * Sizes (docs/hashing.md): min 4 KiB, average 16 KiB, max 64 KiB. A 1 MB photo is about 60 chunks, small
 * enough that an edited region moves little, large enough that the index stays small next to the bytes.
 * The gear table and the masks are part of the storage format: changing them changes every binary id list.
 */
import {createHash} from 'node:crypto'

export interface CdcParams {
  min: number
  avg: number
  max: number
  /** Mask tested before `avg` bytes: more bits, so cuts are rarer. */
  maskS: number
  /** Mask tested after `avg` bytes: fewer bits, so cuts come soon. */
  maskL: number
}

/** The `bits` highest bits of a 32-bit word: in a gear hash they depend on the most recent 32 bytes. */
function topBits(bits: number): number {
  return (~0 << (32 - bits)) | 0
}

export const CDC: CdcParams = {
  min: 4 * 1024,
  avg: 16 * 1024,
  max: 64 * 1024,
  maskS: topBits(16),
  maskL: topBits(12),
}

/** 256 fixed pseudo-random words: word i is the first 4 bytes of SHA-256("sync-gear-" + i). */
export const GEAR: Int32Array = (() => {
  const table = new Int32Array(256)
  for (let i = 0; i < 256; i++) table[i] = createHash('sha256').update(`sync-gear-${i}`).digest().readInt32BE(0)
  return table
})()

/**
 * The length of the chunk that starts at `start`, given that `n` bytes from there are available and are all
 * the bytes this chunk may use (n is at most `max`, or less only at the end of the input).
 *
 * The loop is unrolled eight times: it runs over every byte of a binary file, and unrolled it took 60 ms for
 * 100 MB here instead of 147 (test/chunk/cdc.test.ts checks it against the plain loop).
 */
export function cutPoint(buf: Uint8Array, start: number, n: number, params: CdcParams = CDC): number {
  if (n <= params.min) return n
  if (n > params.max) n = params.max
  const gear = GEAR
  let fp = 0
  let p = start + params.min
  // The harder mask up to `avg` bytes, then the easier one.
  let mask = params.maskS
  let stop = start + (n < params.avg ? n : params.avg)
  for (let half = 0; half < 2; half++) {
    for (const stop8 = stop - 7; p < stop8; p += 8) {
      fp = ((fp << 1) + gear[buf[p]]) | 0
      if ((fp & mask) === 0) return p - start + 1
      fp = ((fp << 1) + gear[buf[p + 1]]) | 0
      if ((fp & mask) === 0) return p - start + 2
      fp = ((fp << 1) + gear[buf[p + 2]]) | 0
      if ((fp & mask) === 0) return p - start + 3
      fp = ((fp << 1) + gear[buf[p + 3]]) | 0
      if ((fp & mask) === 0) return p - start + 4
      fp = ((fp << 1) + gear[buf[p + 4]]) | 0
      if ((fp & mask) === 0) return p - start + 5
      fp = ((fp << 1) + gear[buf[p + 5]]) | 0
      if ((fp & mask) === 0) return p - start + 6
      fp = ((fp << 1) + gear[buf[p + 6]]) | 0
      if ((fp & mask) === 0) return p - start + 7
      fp = ((fp << 1) + gear[buf[p + 7]]) | 0
      if ((fp & mask) === 0) return p - start + 8
    }
    for (; p < stop; p++) {
      fp = ((fp << 1) + gear[buf[p]]) | 0
      if ((fp & mask) === 0) return p - start + 1
    }
    mask = params.maskL
    stop = start + n
  }
  return n
}
