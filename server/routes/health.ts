/** `GET /v1/health` (no token) and `GET /metrics` (an admin token). */
import {authorize} from '../http/authorize.js'
import {sendJson} from '../http/send-json.js'
import {BODY_ENCODING} from '#src/protocol/content-encoding.js'
import {PROTOCOL_VERSION} from '#src/protocol/version.js'
import {SERVED_PROTOCOLS} from '../http/client-protocol.js'
import type {Routes} from './route-deps.js'

export const healthRoutes: Routes = (router, {revocations, lastUsed, metrics, version, latestClient, limits}) => {
  // What a client needs to know before a large request: the protocols served, this server's limits, the newest client.
  router.get('/v1/health', (ctx) =>
    sendJson(ctx, {
      ok: true,
      version,
      protocol: PROTOCOL_VERSION,
      ...SERVED_PROTOCOLS,
      latestClient,
      encodings: [BODY_ENCODING],
      packsWithoutIds: true,
      limits,
    }),
  )

  router.get('/metrics', authorize({revocations, lastUsed}, 'admin'), async (ctx) => {
    ctx.set('Content-Type', metrics.registry.contentType)
    ctx.body = await metrics.registry.metrics()
  })
}
