/** `GET /v1/health` (no token) and `GET /metrics` (any valid token). */
import {authorize} from '../http/authorize.js'
import {sendJson} from '../http/send-json.js'
import type {Routes} from './route-deps.js'

export const healthRoutes: Routes = (router, {revocations, metrics, version}) => {
  router.get('/v1/health', (ctx) => sendJson(ctx, {ok: true, version}))

  router.get('/metrics', authorize(revocations, 'any'), async (ctx) => {
    ctx.set('Content-Type', metrics.registry.contentType)
    ctx.body = await metrics.registry.metrics()
  })
}
