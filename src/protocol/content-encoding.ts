/**
 * JSON bodies compressed on the wire (docs/protocol.md, Compressed JSON): `Content-Encoding: br` (Brotli, RFC 7932),
 * both ways, where it pays. A commit's inline lines, a `changes` page and an id list are most of what a first sync
 * sends: measured on this repository's tree as a commit, Brotli quality 4 keeps 0.42 of the bytes (deflate level 1:
 * 0.46; ids repeat as lines do), a hex id list 0.32. Quality 4 compresses about 40 MB/s here, on libuv's pool.
 * A body under COMPRESS_FROM_BYTES, or one that would not shrink by more than the header costs, goes as it is.
 * Inflating is bounded: a body that would inflate past its limit is TooLargeError, never an allocation.
 */
import zlib from 'node:zlib'
import {promisify} from 'node:util'
import {InvalidInputError, TooLargeError} from '../errors/index.js'

const brotliCompress = promisify(zlib.brotliCompress)
const brotliDecompress = promisify(zlib.brotliDecompress)

export const BODY_ENCODING = 'br'
/** Smaller bodies are sent as they are: a one-line edit's commit or `changes` page gains less than it costs. */
export const COMPRESS_FROM_BYTES = 1024
/** What compressing must save at least: the `Content-Encoding` header, the first time on a connection. */
const HEADER_BYTES = 24
const QUALITY = 4

/**
 * Where the work is done: on libuv's pool (the server's answers: its other requests go on meanwhile), or on this
 * thread (a client, whose pass makes one request at a time, and the server's inflating of a request body it then
 * parses: on the pool, a commit of 1,000 recipes waited 90-170 ms behind the same pass's pack compressions and file
 * reads for 15 ms of compressing).
 */
export type WorkOn = 'pool' | 'here'

function compressOptions(raw: Buffer): zlib.BrotliOptions {
  return {params: {[zlib.constants.BROTLI_PARAM_QUALITY]: QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length}}
}

/** `raw` compressed, or undefined when that would not pay. */
export async function compressBody(raw: Buffer, workOn: WorkOn): Promise<Buffer | undefined> {
  if (raw.length < COMPRESS_FROM_BYTES) return undefined
  const compressed = workOn === 'here' ? zlib.brotliCompressSync(raw, compressOptions(raw)) : await brotliCompress(raw, compressOptions(raw))
  return compressed.length + HEADER_BYTES < raw.length ? compressed : undefined
}

/** The body as sent with `Content-Encoding: encoding` (absent or identity: as it is), never more than `maxBytes`. */
export async function decompressBody(body: Buffer, encoding: string | undefined, maxBytes: number, what: string, workOn: WorkOn): Promise<Buffer> {
  const name = encoding?.trim().toLowerCase()
  if (!name || name === 'identity') return body
  if (name !== BODY_ENCODING) throw new InvalidInputError(`${what} is in an unknown Content-Encoding '${name.slice(0, 40)}' (only ${BODY_ENCODING})`)
  try {
    const options = {maxOutputLength: maxBytes}
    return workOn === 'here' ? zlib.brotliDecompressSync(body, options) : await brotliDecompress(body, options)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      throw new TooLargeError(`${what} (decompressed)`, maxBytes)
    throw new InvalidInputError(`${what} does not decompress (${BODY_ENCODING}): ${(error as Error).message}`)
  }
}

/** Whether an `Accept-Encoding` header value takes Brotli (`br`, not with `q=0`). */
export function acceptsBodyEncoding(header: string | undefined): boolean {
  for (const part of (header ?? '').split(',')) {
    const [coding, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase())
    if (coding !== BODY_ENCODING) continue
    const q = params.find((param) => param.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  }
  return false
}
