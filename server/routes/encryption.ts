/**
 * `GET /v1/ns/{ns}/encryption`: the namespace's encryption setting, or `{"encrypted": false}`; any token of the
 * namespace reads it, whatever its client (it is how a device learns it must join with `sync init --encrypt`).
 * `POST` sets it, once, while the namespace has no entries (a read-write token): the answer is the setting kept,
 * which is another device's when it was first (the caller then derives its key from that one). docs/protocol.md,
 * Encryption.
 */
import {EncryptionMismatchError} from '#src/errors/index.js'
import {encryptionSettingSchema} from '#src/protocol/encryption-setting.js'
import {authorize} from '../http/authorize.js'
import {parseWith} from '../http/parse-with.js'
import {readJson} from '../http/read-json.js'
import {sendJson} from '../http/send-json.js'
import type {Routes} from './route-deps.js'

export const encryptionRoutes: Routes = (router, {storage, revocations, lastUsed, sealed, limits}) => {
  router.get('/v1/ns/:ns/encryption', authorize({revocations, lastUsed}, 'read'), async (ctx) => {
    sendJson(ctx, (await sealed.setting(ctx.params.ns)) ?? {encrypted: false})
  })

  router.post('/v1/ns/:ns/encryption', authorize({revocations, lastUsed}, 'write'), async (ctx) => {
    const namespace = ctx.params.ns
    const given = parseWith(encryptionSettingSchema, await readJson(ctx, limits.jsonBody), 'encryption setting')
    const existing = await storage.settings.encryption(namespace)
    if (!existing && (await storage.journal.head(namespace)) > 0) {
      throw new EncryptionMismatchError(`namespace ${JSON.stringify(namespace)} has files already: only an empty namespace can be made encrypted`, {
        encrypted: false,
      })
    }
    const kept = existing ?? (await storage.settings.setEncryption(namespace, given))
    sealed.remember(namespace, kept)
    sendJson(ctx, kept)
  })
}
