/**
 * JSON answers compressed with `Content-Encoding: br` for a client that asks for it (`Accept-Encoding`), where it
 * pays (src/protocol/content-encoding.ts): a `changes` page, heads, a full entry. Packs are compressed already and
 * go as they are. No `Vary` header: every answer that can be compressed needs a token, and shared caches keep no
 * answer to a request with `Authorization`; the header would cost bytes on each answer.
 */
import type {Middleware} from 'koa'
import {acceptsBodyEncoding, BODY_ENCODING, compressBody} from '#src/protocol/content-encoding.js'

export function compressAnswers(): Middleware {
  return async (ctx, next) => {
    await next()
    if (typeof ctx.body !== 'string' || ctx.state.jsonAnswer !== true) return
    if (!acceptsBodyEncoding(ctx.get('Accept-Encoding'))) return
    const compressed = await compressBody(Buffer.from(ctx.body), 'pool')
    if (!compressed) return
    ctx.body = compressed
    // Koa types a Buffer body as bytes when no type is set: the sync client gets none (send-json.ts).
    if (ctx.state.syncClient === true) ctx.remove('Content-Type')
    ctx.set('Content-Encoding', BODY_ENCODING)
  }
}
