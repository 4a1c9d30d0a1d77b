/**
 * Blocks are stored as raw deflate (RFC 1951). node:zlib, not fflate: measured here on 100 MB of recipe-like
 * text in 64 KiB blocks, level 1 deflates in 843 ms (fflate 1692 ms) and inflates in 215 ms (fflate 639 ms),
 * at the same ratio (0.32). Deflating runs on libuv's thread pool, beside the hashing on the main thread. Each
 * call still costs the main thread about 100 us (a zlib stream and its state per call); a worker thread of our
 * own cost as much per block in postMessage, and held up to 140 MB of the blocks it was sent until its heap,
 * which hardly grows, was collected.
 *
 * Incompressible blocks (photos, archives, random bytes) are stored as deflate's "stored" blocks, what level 0
 * writes: level 1 spends 1.4 s on 100 MB of random bytes to save nothing. The test is the byte entropy of a
 * sample: over 7.5 bits per byte (JPEG, zip, random: ~7.9; English text ~4.5; base64 6) is not worth it.
 * (Compressing a sample to decide costs a zlib set-up per block, 90 us here; the histogram costs 5 us.)
 */
import zlib from 'node:zlib'
import {promisify} from 'node:util'
import {CorruptDataError, TooLargeError} from '../errors/index.js'

const deflateRaw = promisify(zlib.deflateRaw)
const inflateRaw = promisify(zlib.inflateRaw)
/** The most bytes one stored deflate block holds. */
const STORED_MAX = 65535

const SAMPLE_BYTES = 4096
const INCOMPRESSIBLE_BITS_PER_BYTE = 7.5
/**
 * Blocks smaller than this are deflated on the calling thread: a few lines take microseconds, less than the
 * trip to the thread pool and back, which a one-line edit otherwise makes on its way to the server and again in
 * the server before it answers (a hop costs most when other work keeps the cores busy).
 */
const DEFLATE_HERE_BELOW = 4096

/** Shannon entropy, in bits per byte, of up to SAMPLE_BYTES taken from the middle of `bytes` (past any header). */
export function sampleEntropy(bytes: Uint8Array): number {
  const start = bytes.length > SAMPLE_BYTES ? (bytes.length - SAMPLE_BYTES) >> 1 : 0
  const end = Math.min(bytes.length, start + SAMPLE_BYTES)
  const counts = new Uint32Array(256)
  for (let i = start; i < end; i++) counts[bytes[i]]++
  const n = end - start
  let bits = 0
  for (const count of counts) if (count > 0) bits -= (count / n) * Math.log2(count / n)
  return bits
}

export function compressionLevelFor(plain: Uint8Array): 0 | 1 {
  if (plain.length < SAMPLE_BYTES) return 1
  return sampleEntropy(plain) > INCOMPRESSIBLE_BITS_PER_BYTE ? 0 : 1
}

/**
 * Deflate's stored blocks (RFC 1951, 3.2.4) around `bytes`: what zlib writes at level 0, as the parts of one
 * write: each piece's 5-byte header, then a view of its bytes, not copied (zlib took 40 us per 64 KiB block,
 * plus the hop to its thread; a copy into one buffer was a quarter of storing 100 MB of photos).
 */
export function storedDeflate(bytes: Buffer): Buffer[] {
  const pieces = Math.max(1, Math.ceil(bytes.length / STORED_MAX))
  const headers = Buffer.allocUnsafe(pieces * 5)
  const parts: Buffer[] = []
  for (let piece = 0; piece < pieces; piece++) {
    const from = piece * STORED_MAX
    const length = Math.min(STORED_MAX, bytes.length - from)
    const header = headers.subarray(piece * 5, piece * 5 + 5)
    // BFINAL on the last piece, BTYPE 00 (stored); then LEN and its complement, little-endian.
    header[0] = piece === pieces - 1 ? 1 : 0
    header.writeUInt16LE(length, 1)
    header.writeUInt16LE(~length & 0xffff, 3)
    parts.push(header, bytes.subarray(from, from + length))
  }
  return parts
}

/**
 * The stored form of a plain block, as the parts of one write. Stored (incompressible) blocks are views of
 * `plain`: it must stay unchanged until they are written.
 */
export async function compressBlock(plain: Buffer): Promise<Buffer[]> {
  if (compressionLevelFor(plain) === 0) return storedDeflate(plain)
  if (plain.length < DEFLATE_HERE_BELOW) return [zlib.deflateRawSync(plain, {level: 1})]
  // Room for what text compresses to in one piece (one trip to the thread pool, no concatenation), not much more:
  // the piece is garbage once written.
  return [await deflateRaw(plain, {level: 1, chunkSize: Math.max(zlib.constants.Z_MIN_CHUNK, plain.length >> 1)})]
}

function inflateError(error: unknown, maxPlain: number): Error {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ERR_BUFFER_TOO_LARGE' || (error instanceof RangeError && /larger than/.test(error.message))) {
    return new TooLargeError('an inflated block', maxPlain)
  }
  return new CorruptDataError(`block does not inflate: ${(error as Error).message}`, {}, {cause: error})
}

/** Inflates a stored block; never more than `maxPlain` bytes (a deflate bomb is an error, not an allocation). */
export function decompressBlockSync(data: Uint8Array, maxPlain: number): Buffer {
  try {
    return zlib.inflateRawSync(data, {maxOutputLength: maxPlain})
  } catch (error) {
    throw inflateError(error, maxPlain)
  }
}

export async function decompressBlock(data: Uint8Array, maxPlain: number): Promise<Buffer> {
  try {
    return await inflateRaw(data, {maxOutputLength: maxPlain})
  } catch (error) {
    throw inflateError(error, maxPlain)
  }
}
