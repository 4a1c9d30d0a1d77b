/**
 * How a block is stored (docs/storage.md, "Blocks"). Two codecs, told apart by the block's first byte:
 *
 * - **Brotli** (store format 2, since 2026-12-04): one tag byte, BROTLI_TAG, then a brotli stream at quality 0.
 *   The tag's bits 1-2 are 11, deflate's reserved block type, so no deflate stream starts with it. Measured here
 *   on 100 MB of recipe-like text in 64 KiB blocks: deflate level 1 579 ms at a ratio of 0.217, brotli quality 0
 *   260 ms at 0.243 (256 KiB blocks: 437 ms against 212 ms); brotli also decompresses faster (115 ms against
 *   181 ms for 50 MB).
 * - **Raw deflate** (RFC 1951; format 1): what every block was before, read as it is forever. Incompressible
 *   blocks (photos, archives, random bytes) are still written as deflate's "stored" blocks, which any version
 *   reads: the test is the byte entropy of a sample, over 7.5 bits per byte (JPEG, zip, random: ~7.9; English
 *   text ~4.5; base64 6) is not worth compressing. (Compressing a sample to decide costs a set-up per block,
 *   90 us here; the histogram costs 5 us.)
 *
 * Compressing runs on libuv's thread pool, beside the hashing; each call costs the main thread a stream's set-up
 * (tens of microseconds), so bulk input comes in big blocks (limits.ts). A caller whose own thread has nothing
 * better to do compresses there (compressBlockSync): the pool's hand-offs cost more CPU than they save on two
 * cores (ChunkStore.compressOnThisThread). (A worker thread of our own, tried with
 * deflate, cost as much per block in postMessage, and held up to 140 MB of the blocks it was sent until its heap
 * was collected.) Decompressing is bounded by the caller's limit: a bomb is TooLargeError, not an allocation.
 */
import zlib from 'node:zlib'
import {promisify} from 'node:util'
import {CorruptDataError, TooLargeError} from '../errors/index.js'

const brotliCompress = promisify(zlib.brotliCompress)
const brotliDecompress = promisify(zlib.brotliDecompress)
const inflateRaw = promisify(zlib.inflateRaw)

/** The first byte of a brotli block: codec 1 in bits 3-7, and bits 1-2 set (deflate's reserved block type). */
export const BROTLI_TAG = (1 << 3) | 0b110
const BROTLI_TAG_BYTE = Buffer.from([BROTLI_TAG])
/** A tagged block's first byte has these bits set; a deflate stream's never does. */
const TAGGED = 0b110

/** The most bytes one stored deflate block holds. */
const STORED_MAX = 65535
const SAMPLE_BYTES = 4096
const INCOMPRESSIBLE_BITS_PER_BYTE = 7.5
/**
 * Blocks smaller than this are compressed on the calling thread: a few lines take microseconds, less than the
 * trip to the thread pool and back, which a one-line edit otherwise makes on its way to the server and again in
 * the server before it answers (a hop costs most when other work keeps the cores busy).
 */
const COMPRESS_HERE_BELOW = 4096

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

function worthCompressing(plain: Uint8Array): boolean {
  return plain.length < SAMPLE_BYTES || sampleEntropy(plain) <= INCOMPRESSIBLE_BITS_PER_BYTE
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

function brotliOptions(plain: Uint8Array): zlib.BrotliOptions {
  return {
    params: {[zlib.constants.BROTLI_PARAM_QUALITY]: 0, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: plain.length},
    // The whole block in one finishing pass: by default node's zlib processes the input in one trip to the thread
    // pool and finishes in another, two pieces of output joined by a copy (twice the time, measured on 50 MB).
    flush: zlib.constants.BROTLI_OPERATION_FINISH,
    // Room for what text compresses to in one piece (no concatenation), not much more: it is garbage once written.
    chunkSize: Math.max(zlib.constants.Z_MIN_CHUNK, plain.length >> 1),
  }
}

/**
 * The stored form of a plain block, as the parts of one write. Stored (incompressible) blocks are views of
 * `plain`: it must stay unchanged until they are written.
 */
export async function compressBlock(plain: Buffer): Promise<Buffer[]> {
  if (plain.length < COMPRESS_HERE_BELOW) return compressBlockSync(plain)
  if (!worthCompressing(plain)) return storedDeflate(plain)
  return [BROTLI_TAG_BYTE, await brotliCompress(plain, brotliOptions(plain))]
}

/** compressBlock on the calling thread (the same bytes): see ChunkStore.compressOnThisThread for who wants that. */
export function compressBlockSync(plain: Buffer): Buffer[] {
  if (!worthCompressing(plain)) return storedDeflate(plain)
  return [BROTLI_TAG_BYTE, zlib.brotliCompressSync(plain, brotliOptions(plain))]
}

function decompressError(error: unknown, maxPlain: number): Error {
  if (error instanceof CorruptDataError) return error
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ERR_BUFFER_TOO_LARGE' || (error instanceof RangeError && /larger than/.test(error.message))) {
    return new TooLargeError('a decompressed block', maxPlain)
  }
  return new CorruptDataError(`block does not decompress: ${(error as Error).message}`, {}, {cause: error})
}

/** The codec of a stored block, by its first byte; an unknown tag is CorruptDataError. */
function codecOf(data: Uint8Array): 'deflate' | 'brotli' {
  if (data.length === 0 || (data[0] & TAGGED) !== TAGGED) return 'deflate'
  if (data[0] === BROTLI_TAG) return 'brotli'
  throw new CorruptDataError(`block has an unknown codec tag 0x${data[0].toString(16)}`)
}

/** Decompresses a stored block, either codec; never more than `maxPlain` bytes. */
export function decompressBlockSync(data: Uint8Array, maxPlain: number): Buffer {
  try {
    if (codecOf(data) === 'brotli') return zlib.brotliDecompressSync(data.subarray(1), {maxOutputLength: maxPlain})
    return zlib.inflateRawSync(data, {maxOutputLength: maxPlain})
  } catch (error) {
    throw decompressError(error, maxPlain)
  }
}

export async function decompressBlock(data: Uint8Array, maxPlain: number): Promise<Buffer> {
  try {
    if (codecOf(data) === 'brotli') return await brotliDecompress(data.subarray(1), {maxOutputLength: maxPlain})
    return await inflateRaw(data, {maxOutputLength: maxPlain})
  } catch (error) {
    throw decompressError(error, maxPlain)
  }
}

/** Inflates raw deflate only (a wire pack: docs/protocol.md), never more than `maxPlain` bytes. */
export async function inflateBounded(data: Uint8Array, maxPlain: number): Promise<Buffer> {
  try {
    return await inflateRaw(data, {maxOutputLength: maxPlain})
  } catch (error) {
    throw decompressError(error, maxPlain)
  }
}
