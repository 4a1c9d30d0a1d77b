/**
 * HTTP/2 answers whose body is in memory (every JSON answer) are sent on the request's stream directly, so that
 * the body's DATA frame ends the stream. Through node's compatibility layer (what Koa writes to), every answer
 * waits for trailers and then ends with an extra empty DATA frame: 9 bytes for nothing on each answer.
 * Streamed bodies (packs) and HTTP/1.1 keep Koa's own way.
 */
import type {Middleware} from 'koa'
import type http from 'node:http'
import type http2 from 'node:http2'

export function h2Answer(): Middleware {
  return async (ctx, next) => {
    await next()
    const req = ctx.req as http.IncomingMessage | http2.Http2ServerRequest
    if (!('stream' in req) || ctx.method === 'HEAD') return
    const {body} = ctx
    if (typeof body !== 'string' && !Buffer.isBuffer(body)) return
    const {stream} = req
    if (stream.headersSent || stream.destroyed || !ctx.writable) return
    ctx.respond = false
    // Koa has set Content-Length for the body; what Koa would answer, but with the body ending the stream.
    stream.respond({...ctx.response.headers, ':status': ctx.status}, {sendDate: ctx.res.sendDate} as http2.ServerStreamResponseOptions)
    stream.end(body)
  }
}
