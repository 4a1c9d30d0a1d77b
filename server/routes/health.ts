/** `GET /v1/health` (no token) and `GET /metrics` (an admin token). */
import {authorize} from '../http/authorize.js'
import {sendJson} from '../http/send-json.js'
import {PROTOCOL_VERSION} from '#src/protocol/version.js'
import type {Routes} from './route-deps.js'

export const healthRoutes: Routes = (router, {revocations, lastUsed, metrics, version, limits}) => {
  // What a client needs to know before a large request: the protocol spoken and this server's limits.
  router.get('/v1/health', (ctx) => sendJson(ctx, {ok: true, version, protocol: PROTOCOL_VERSION, limits}))

  router.get('/metrics', authorize({revocations, lastUsed}, 'admin'), async (ctx) => {
    ctx.set('Content-Type', metrics.registry.contentType)
    ctx.body = await metrics.registry.metrics()
  })
}
