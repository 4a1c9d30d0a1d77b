/**
 * The error middleware: every error becomes `{error: {code, message, data?}}` with its status. Typed errors map
 * by code (src/errors/registry.ts); anything else is a bug, answered 500 E_INTERNAL without details and reported on the app's 'error'.
 */
import type {Middleware} from 'koa'
import {isSyncError, NotFoundError, statusFor} from '#src/errors/index.js'
import type {ServerMetrics} from '../metrics.js'
import {sendJson} from './send-json.js'

interface ErrorBody {
  code: string
  message: string
  data?: Record<string, unknown>
}

/** The status and body an error is answered with. */
export function describe(error: unknown): {status: number; body: ErrorBody} {
  if (isSyncError(error)) {
    const body: ErrorBody = {code: error.code, message: error.message}
    if (Object.keys(error.data).length > 0) body.data = error.data
    return {status: statusFor(error.code), body}
  }
  // Koa's and the router's own client errors (a malformed URL escape, for one).
  const status = (error as {status?: unknown}).status
  if (error instanceof URIError || (typeof status === 'number' && status >= 400 && status < 500)) {
    return {status: 400, body: {code: 'E_INVALID_INPUT', message: (error as Error).message}}
  }
  return {status: 500, body: {code: 'E_INTERNAL', message: 'internal server error'}}
}

/** The error answers an operator is told of: refused tokens (someone may be trying), and failures of ours. */
function notice(status: number, body: ErrorBody, ctx: {method: string; path: string; ip: string}): string | undefined {
  if (status !== 401 && status !== 403 && status < 500) return undefined
  return `${status} ${body.code} ${ctx.method} ${ctx.path.slice(0, 200)} from ${ctx.ip}: ${body.message}`
}

export function errorMiddleware(metrics: ServerMetrics, onNotice?: (message: string) => void): Middleware {
  return async (ctx, next) => {
    try {
      await next()
      if (ctx.body === undefined && ctx.status === 404) throw new NotFoundError(`no route ${ctx.method} ${ctx.path.slice(0, 200)}`)
    } catch (error) {
      const {status, body} = describe(error)
      metrics.errors.inc({code: body.code})
      const said = onNotice && notice(status, body, ctx)
      if (said) onNotice(said)
      if (status === 500) ctx.app.emit('error', error, ctx)
      if (ctx.headerSent) {
        ctx.res.destroy()
        return
      }
      // A body over its limit may still be arriving: close rather than read it to the end.
      if (status === 413) ctx.set('Connection', 'close')
      sendJson(ctx, {error: body}, status)
    }
  }
}
