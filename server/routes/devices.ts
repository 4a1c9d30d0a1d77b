/**
 * `GET /v1/admin/devices` (an admin token: every namespace's devices) and `GET /v1/ns/{ns}/devices` (a token of
 * that namespace): what the server saw of each device (http/devices.ts), with its lag behind the head.
 */
import {authorize} from '../http/authorize.js'
import type {DeviceView} from '../http/devices.js'
import {sendJson} from '../http/send-json.js'
import type {Routes} from './route-deps.js'

/** Times as ISO 8601 (UTC), as `sync log --json` and `token list --json` give them. */
function deviceToWire({lastSeen, lastError, ...rest}: DeviceView): Record<string, unknown> {
  return {
    ...rest,
    lastSeen: new Date(lastSeen).toISOString(),
    ...(lastError ? {lastError: {...lastError, time: new Date(lastError.time).toISOString()}} : {}),
  }
}

export const deviceRoutes: Routes = (router, {storage, revocations, lastUsed, devices}) => {
  const head = (namespace: string) => storage.journal.head(namespace)
  router.get('/v1/admin/devices', authorize({revocations, lastUsed}, 'admin'), async (ctx) => {
    sendJson(ctx, {devices: (await devices.list(head)).map(deviceToWire)})
  })
  router.get('/v1/ns/:ns/devices', authorize({revocations, lastUsed}, 'read'), async (ctx) => {
    sendJson(ctx, {devices: (await devices.list(head, ctx.params.ns)).map(deviceToWire)})
  })
}
