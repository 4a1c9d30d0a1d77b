/**
 * Reads a request body, bounded: a declared or actual size over `limit` is 413, bad JSON is 400. A JSON body may
 * come compressed (`Content-Encoding: br`, src/protocol/content-encoding.ts), bounded by the same limit once
 * inflated; a raw body (a pack, already compressed) in any encoding is 400.
 */
import type {Context} from 'koa'
import {InvalidInputError, TooLargeError} from '#src/errors/index.js'
import {decompressBody} from '#src/protocol/content-encoding.js'
import {readLimited} from '#src/util/read-limited.js'

/** Reads the raw body, refusing a declared Content-Length over `limit` before reading anything. */
export async function readBody(ctx: Context, limit: number, what: string): Promise<Buffer> {
  const encoding = ctx.get('Content-Encoding').trim().toLowerCase()
  if (encoding !== '' && encoding !== 'identity') throw new InvalidInputError(`${what} is not taken in a Content-Encoding ('${encoding.slice(0, 40)}')`)
  return readRaw(ctx, limit, what)
}

async function readRaw(ctx: Context, limit: number, what: string): Promise<Buffer> {
  if (Number(ctx.get('Content-Length')) > limit) {
    await discard(ctx, DISCARD_MAX)
    throw new TooLargeError(what, limit)
  }
  return readLimited(ctx.req, limit, what)
}

/** Request bytes read and dropped before a 413 over HTTP/2, at most (then the stream is left to its fate). */
const DISCARD_MAX = 64 * 1024 * 1024

/**
 * Over HTTP/2 a 413 sent while the body still arrives is often lost: the stream is reset (ENHANCE_YOUR_CALM) by
 * node's HTTP/2 layer before the answer leaves. Reading the body to its end first (bounded) lets the answer through.
 */
async function discard(ctx: Context, max: number): Promise<void> {
  if (ctx.req.httpVersionMajor < 2) return
  let read = 0
  for await (const part of ctx.req as AsyncIterable<Uint8Array>) {
    read += part.length
    if (read > max) return
  }
}

/**
 * The body's JSON. A compressed body is inflated on this thread, as it is then parsed here: on the pool it waited
 * behind the durable writes of other requests (a first sync's commit of 1,000 recipes: 25-45 ms from its first byte
 * to its inflated body against 12-20 ms here), for 2-3 ms of work per 1.5 MB.
 */
export async function readJson(ctx: Context, limit: number): Promise<unknown> {
  const what = 'the request body'
  const bytes = await decompressBody(await readRaw(ctx, limit, what), ctx.get('Content-Encoding') || undefined, limit, what, 'here')
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new InvalidInputError('the request body is not valid JSON')
  }
}
