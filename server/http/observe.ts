/**
 * Request metrics: count and latency by route, requests in flight, and bytes in and out as the socket counted
 * them (headers included). Requests on one keep-alive socket come one after another, so each takes the
 * socket's new bytes.
 */
import type {Socket} from 'node:net'
import type {Middleware} from 'koa'
import type {ServerMetrics} from '../metrics.js'

export function observe(metrics: ServerMetrics): Middleware {
  const counted = new WeakMap<Socket, {read: number; written: number}>()
  return async (ctx, next) => {
    const started = performance.now()
    const socket = ctx.req.socket
    metrics.inFlight.inc()
    ctx.res.once('close', () => {
      metrics.inFlight.dec()
      const route = (ctx as {routerPath?: string}).routerPath ?? 'unmatched'
      metrics.requests.inc({route, method: ctx.method, status: ctx.status})
      metrics.latency.observe({route}, (performance.now() - started) / 1000)
      const before = counted.get(socket) ?? {read: 0, written: 0}
      metrics.bytesIn.inc(socket.bytesRead - before.read)
      metrics.bytesOut.inc(socket.bytesWritten - before.written)
      counted.set(socket, {read: socket.bytesRead, written: socket.bytesWritten})
    })
    await next()
  }
}
