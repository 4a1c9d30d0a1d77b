/** Reads a JSON request body, bounded: a declared or actual size over `limit` is 413, bad JSON is 400. */
import type {Context} from 'koa'
import {InvalidInputError, TooLargeError} from '#src/errors/index.js'
import {readLimited} from '#src/util/read-limited.js'

/** Reads the raw body, refusing a declared Content-Length over `limit` before reading anything. */
export async function readBody(ctx: Context, limit: number, what: string): Promise<Buffer> {
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

export async function readJson(ctx: Context, limit: number): Promise<unknown> {
  const bytes = await readBody(ctx, limit, 'the request body')
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new InvalidInputError('the request body is not valid JSON')
  }
}
