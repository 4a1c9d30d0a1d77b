/**
 * The status page (`GET /status`, server/status/status-page.ts) and the routes its script reads, besides `log` and
 * the devices (devices.ts): `GET /v1/whoami` (any token: its name, rights and namespace), `GET /v1/admin/namespaces`
 * (an admin token: every namespace's head JID, entries, the space its packs take and its quota), `GET /v1/ns/{ns}/summary`
 * (the same for one namespace), `GET /v1/ns/{ns}/recent?limit=N` (the last N entries, newest first) and
 * `GET /v1/ns/{ns}/entries/{jid}/content` (a version's bytes, as a download). None of them makes a device seen.
 */
import {Readable} from 'node:stream'
import {deletesPath} from '#src/journal/journal-entry.js'
import {entryToWire} from '#src/journal/entry-wire.js'
import {InvalidInputError, MissingChunksError, NotFoundError} from '#src/errors/index.js'
import {authorize} from '../http/authorize.js'
import {intParam} from '../http/query.js'
import {sendJson} from '../http/send-json.js'
import {STATUS_PAGE} from '../status/status-page.js'
import type {NamespaceChunks, ServerStorage, StoredEntry, TokenGrant} from '../storage/types.js'
import {versionIds} from '../storage/version-ids.js'
import type {Routes} from './route-deps.js'

const RECENT_MAX = 200

async function summary(storage: ServerStorage, namespace: string) {
  const head = await storage.journal.head(namespace)
  const {packs, bytes} = await (await storage.chunks.namespace(namespace)).usage()
  const quota = (await storage.settings.quota(namespace)) ?? null
  // JIDs start at 1 with no gaps: the head is the number of entries.
  return {namespace, head, entries: head, packs, bytes, quota}
}

/** `attachment` with the file's name: ASCII in `filename` (others as `_`), all of it in `filename*` (RFC 6266). */
function disposition(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

async function* bytesOf(ids: Iterable<string>, chunks: NamespaceChunks): AsyncIterable<Buffer> {
  for (const id of ids) yield await chunks.read(id)
}

function downloadable(entry: StoredEntry | undefined, jid: string): asserts entry is StoredEntry & {manifest: {kind: 'file' | 'tree'}} {
  if (!entry) throw new NotFoundError(`JID ${jid} is not in this namespace`, {jid: Number(jid)})
  if (entry.pruned) throw new NotFoundError(`JID ${jid} was pruned (past the namespace's retention): its bytes may be gone`, {jid: Number(jid), pruned: true})
  if (deletesPath(entry, entry.path) || !entry.manifest) throw new NotFoundError(`JID ${jid} deletes ${entry.path}: it has no bytes`, {jid: Number(jid)})
  if (entry.manifest.kind === 'symlink') throw new NotFoundError(`JID ${jid} is a symlink to ${entry.manifest.target}, not a file`, {jid: Number(jid)})
}

export const statusRoutes: Routes = (router, {storage, revocations, lastUsed}) => {
  const checks = {revocations, lastUsed}
  const read = authorize(checks, 'read')

  router.get('/status', (ctx) => {
    ctx.set('Content-Security-Policy', STATUS_PAGE.csp)
    ctx.set('X-Content-Type-Options', 'nosniff')
    ctx.set('Referrer-Policy', 'no-referrer')
    ctx.set('Cache-Control', 'no-store')
    ctx.type = 'text/html; charset=utf-8'
    ctx.body = STATUS_PAGE.html
  })

  router.get('/v1/whoami', authorize(checks, 'any'), (ctx) => {
    const grant = ctx.state.grant as TokenGrant
    sendJson(ctx, {name: grant.name, rights: grant.rights, namespace: grant.rights === 'admin' ? null : grant.namespace})
  })

  router.get('/v1/admin/namespaces', authorize(checks, 'admin'), async (ctx) => {
    const names = await storage.tokens.namespaces()
    sendJson(ctx, {namespaces: await Promise.all(names.map((name) => summary(storage, name)))})
  })

  router.get('/v1/ns/:ns/summary', read, async (ctx) => {
    sendJson(ctx, await summary(storage, ctx.params.ns))
  })

  router.get('/v1/ns/:ns/recent', read, async (ctx) => {
    const namespace = ctx.params.ns
    const limit = intParam(ctx, 'limit', {min: 1, max: RECENT_MAX, fallback: 50})
    const head = await storage.journal.head(namespace)
    const entries = (await storage.journal.range(namespace, Math.max(0, head - limit), limit)).reverse()
    sendJson(ctx, {entries: entries.map((entry) => entryToWire(entry, 'none')), head})
  })

  router.get('/v1/ns/:ns/entries/:jid/content', read, async (ctx) => {
    const {ns: namespace, jid} = ctx.params
    if (!/^\d{1,15}$/.test(jid)) throw new InvalidInputError('a JID is a whole number')
    const entry = await storage.journal.entry(namespace, Number(jid))
    downloadable(entry, jid)
    const chunks = await storage.chunks.namespace(namespace)
    const ids = await versionIds(entry.manifest, chunks)
    const missing = await chunks.missing(ids)
    if (missing.length > 0) throw new MissingChunksError(missing, `namespace ${namespace} (JID ${jid})`)
    ctx.set('Content-Disposition', disposition(entry.path))
    ctx.set('X-Content-Type-Options', 'nosniff')
    ctx.set('Cache-Control', 'no-store')
    ctx.type = 'application/octet-stream'
    ctx.length = entry.manifest.size
    ctx.body = Readable.from(bytesOf(ids, chunks))
  })
}
