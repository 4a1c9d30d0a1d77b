/** Reads a JSON request body, bounded: a declared or actual size over `limit` is 413, bad JSON is 400. */
import type {Context} from 'koa'
import {InvalidInputError, TooLargeError} from '#src/errors/index.js'
import {readLimited} from '#src/util/read-limited.js'

/** Reads the raw body, refusing a declared Content-Length over `limit` before reading anything. */
export async function readBody(ctx: Context, limit: number, what: string): Promise<Buffer> {
  if (Number(ctx.get('Content-Length')) > limit) throw new TooLargeError(what, limit)
  return readLimited(ctx.req, limit, what)
}

export async function readJson(ctx: Context, limit: number): Promise<unknown> {
  const bytes = await readBody(ctx, limit, 'the request body')
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new InvalidInputError('the request body is not valid JSON')
  }
}
