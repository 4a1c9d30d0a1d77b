/**
 * Request metrics: count and latency by route, requests in flight, and bytes in and out as the connection
 * counted them (headers included). Each finished request takes its connection's bytes since the last one
 * counted: requests of one HTTP/1 connection come one after another, and HTTP/2 interleaves them, so the
 * totals are exact while a request's own share is approximate.
 */
import type {Socket} from 'node:net'
import type {Middleware} from 'koa'
import type {ServerMetrics} from '../metrics.js'
import {connectionOf} from './dual-protocol.js'
import {logger} from '#src/util/logger.js'

/** Every request, at debug level: NODE_DEBUG=sync-server. */
const debug = logger('server')

export function observe(metrics: ServerMetrics): Middleware {
  const counted = new WeakMap<Socket, {read: number; written: number}>()
  return async (ctx, next) => {
    const started = performance.now()
    // Found now: once the request's stream has closed, an HTTP/2 request no longer leads to its session.
    const socket = connectionOf(ctx.req)
    metrics.inFlight.inc()
    ctx.res.once('close', () => {
      metrics.inFlight.dec()
      const route = (ctx as {routerPath?: string}).routerPath ?? 'unmatched'
      metrics.requests.inc({route, method: ctx.method, status: ctx.status})
      const seconds = (performance.now() - started) / 1000
      metrics.latency.observe({route}, seconds)
      debug('%s %s %d %d ms', ctx.method, ctx.url.slice(0, 200), ctx.status, Math.round(seconds * 1000))
      const before = counted.get(socket) ?? {read: 0, written: 0}
      metrics.bytesIn.inc(socket.bytesRead - before.read)
      metrics.bytesOut.inc(socket.bytesWritten - before.written)
      counted.set(socket, {read: socket.bytesRead, written: socket.bytesWritten})
    })
    await next()
  }
}
