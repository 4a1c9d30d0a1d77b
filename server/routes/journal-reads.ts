/**
 * The journal's read routes: `changes` (paged, long-poll, inline chunks), `entries/{jid}`, `log`, `heads`.
 * Entries come with full ids, except in `changes` (edits from `prev` when smaller) and `log` (no ids). A client of a
 * protocol without trees (docs/protocol.md, Versions) is never handed one: its page of `changes` ends before the
 * first tree entry, and a request whose answer would start with (or be) one is refused 426, so that it stops there.
 */
import {entryToWire} from '#src/journal/entry-wire.js'
import {inlinePositions, inlineToWire} from '#src/journal/inline-wire.js'
import {deletesPath} from '#src/journal/journal-entry.js'
import {insertedIds, type EditOp} from '#src/manifest/edits.js'
import {fileManifest, type StoredManifest} from '#src/manifest/manifest.js'
import {InvalidInputError, NotFoundError} from '#src/errors/index.js'
import {MAX_PATH_BYTES, checkPath} from '#src/paths/validate-path.js'
import {authorize} from '../http/authorize.js'
import {intParam, stringParam} from '../http/query.js'
import {sendJson} from '../http/send-json.js'
import {readsTrees, tooOld} from '../http/client-protocol.js'
import {TREE_PROTOCOL} from '#src/protocol/version.js'
import {inlineChunks} from './inline-chunks.js'
import {treeEdits} from './tree-edits.js'
import {prefixParam, touches, type PrefixFilter} from './prefix-filter.js'
import type {StoredEntry, TokenGrant} from '../storage/types.js'
import type {Context} from 'koa'
import type {Routes} from './route-deps.js'

const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/

/** The optional `client` id of a long-poll (docs/protocol.md): its own commits do not wake it. */
function clientParam(ctx: {query: Record<string, unknown>}): string | undefined {
  const value = ctx.query.client
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !CLIENT_ID.test(value)) throw new InvalidInputError('client: 1-64 characters of A-Z a-z 0-9 _ -')
  return value
}

const isTree = (entry: StoredEntry) => entry.manifest?.kind === 'tree'

const treeRefused = (ctx: Context, entry: StoredEntry) =>
  tooOld(ctx, `keeps ${entry.path} (jid ${entry.jid}) as a tree manifest, which it needs`, {jid: entry.jid})

/** The entries up to the first tree, for a client that cannot read trees; refused when that leaves none. */
function withoutTrees(ctx: Context, entries: StoredEntry[]): StoredEntry[] {
  if (readsTrees(ctx, TREE_PROTOCOL)) return entries
  const first = entries.findIndex(isTree)
  if (first === 0) throw treeRefused(ctx, entries[0])
  return first === -1 ? entries : entries.slice(0, first)
}

type HeadsPage = {heads: StoredEntry[]; jid: number; more: boolean}

/**
 * The heads of the paths under a prefix, a page of at most `limit`. Heads are kept in byte-wise path order, in
 * which the paths under `P/` follow `P` and are contiguous: the read starts at `P` and stops past them. A move's
 * old path is not a head: a sub-tree device that needs it follows `changes`.
 */
async function headsUnder(
  read: (after: string | undefined) => Promise<HeadsPage>,
  under: PrefixFilter,
  after: string | undefined,
  limit: number,
): Promise<HeadsPage> {
  const heads: StoredEntry[] = []
  let from = after === undefined || Buffer.compare(Buffer.from(after), Buffer.from(under.prefix)) < 0 ? under.prefix : after
  for (;;) {
    const page = await read(from)
    for (const [i, entry] of page.heads.entries()) {
      if (under.past(entry.path)) return {heads, jid: page.jid, more: false}
      if (!under(entry.path)) continue
      heads.push(entry)
      // Full: the next page starts after this path (`after` is the last head sent).
      if (heads.length === limit) return {heads, jid: page.jid, more: page.more || i < page.heads.length - 1}
    }
    if (!page.more || page.heads.length === 0) return {heads, jid: page.jid, more: false}
    from = page.heads.at(-1)!.path
  }
}

export const journalReadRoutes: Routes = (router, {storage, revocations, lastUsed, devices, sealed, waiters, limits}) => {
  const {journal} = storage
  // A device is seen on the routes of a sync pass; `log` is also what people read (sync log, the status page).
  const read = authorize({revocations, lastUsed, devices, sealed}, 'read')
  const readQuietly = authorize({revocations, lastUsed, sealed}, 'read')

  router.get('/v1/ns/:ns/changes', read, async (ctx) => {
    const namespace = ctx.params.ns
    const since = intParam(ctx, 'since', {min: 0, fallback: 0})
    const limit = intParam(ctx, 'limit', {min: 1, max: limits.pageEntries, fallback: limits.pageEntries})
    const wait = intParam(ctx, 'wait', {min: 0, max: limits.waitSeconds, fallback: 0})
    const budget = intParam(ctx, 'inline', {min: 0, max: limits.changesInline, fallback: 0})
    const under = prefixParam(ctx)
    devices.cursor(ctx.state.grant as TokenGrant, since)
    const head = await journal.head(namespace)
    if (since > head) throw new NotFoundError(`since ${since} is past the namespace's newest JID ${head}`, {since, head})
    if (since === head && wait > 0) {
      const gone = new AbortController()
      ctx.res.once('close', () => gone.abort())
      // A revoked token ends the wait at once (authorize then answers 401).
      const watch = revocations.watch(ctx.state.token as string)
      try {
        const woken = waiters.wait(namespace, wait * 1000, AbortSignal.any([gone.signal, watch.signal]), clientParam(ctx))
        // A commit that woke the waiters between the head's read and this wait's start would be missed: look again.
        if ((await journal.head(namespace)) > since) gone.abort()
        await woken
      } finally {
        watch.release()
      }
    }
    const read = withoutTrees(ctx, await journal.range(namespace, since, limit))
    const entries = under ? read.filter((entry) => touches(under, entry)) : read
    const versions = new Map(entries.map((entry) => [entry.jid, entry]))
    const earlier = entries.flatMap((entry) => [entry.prev, entry.fromPrev]).filter((jid): jid is number => !!jid && !versions.has(jid))
    for (const version of await journal.entriesAt(namespace, earlier)) versions.set(version.jid, version)
    const versionOf = (jid: number | null | undefined): StoredEntry | undefined => (jid ? versions.get(jid) : undefined)
    // The version a device that follows this path has: `prev`, when it left a file there.
    const previous = (entry: StoredEntry): StoredManifest | undefined => {
      const old = versionOf(entry.prev)
      return old && !deletesPath(old, entry.path) ? old.manifest : undefined
    }
    const chunks = await storage.chunks.namespace(namespace)
    // A tree that follows a version of its path travels as edits of it, when they are small (tree-edits.ts).
    const edited = new Map<number, EditOp[]>()
    for (const entry of entries) {
      if (entry.manifest?.kind !== 'tree') continue
      const edits = await treeEdits(previous(entry), entry.manifest, chunks)
      if (edits) edited.set(entry.jid, edits)
    }
    const last = read.at(-1)?.jid ?? since
    const newest = await journal.head(namespace)
    let inline = new Map<string, Buffer>()
    if (budget > 0) {
      // An edited tree's new chunks are among the ids its edits insert (none of them in the unchanged ids around).
      const known = (entry: StoredEntry) => (edited.has(entry.jid) ? [] : [previous(entry), versionOf(entry.fromPrev)?.manifest])
      const expanded = entries.map((entry) => {
        const edits = edited.get(entry.jid)
        return edits && entry.manifest?.kind === 'tree' ? {...entry, manifest: fileManifest(insertedIds(edits), entry.manifest.size)} : entry
      })
      inline = await inlineChunks(expanded, known, chunks, budget)
    }
    // A reader that takes edit refs gets an inline chunk's position in place of its id (User-Agent `refs`).
    const inlined = ctx.state.editRefs ? inlinePositions(inline) : undefined
    const lean = ctx.state.lean === true
    sendJson(ctx, {
      // An encrypted namespace's entries travel whole: its devices keep plain ids, into which only whole lists map.
      entries: entries.map((entry) => {
        const wire = entryToWire(entry, ctx.state.encrypted ? 'full' : {prev: previous(entry), treeEdits: edited.get(entry.jid)}, inlined)
        // A lean reader takes an entry without a kind for a file.
        if (lean && wire.kind === 'file') delete wire.kind
        return wire
      }),
      last,
      // A lean reader infers them: `head` is `last` when absent, `more` is `last < head`.
      ...(lean ? (newest === last ? {} : {head: newest}) : {head: newest, more: last < newest}),
      ...inlineToWire(inline.values()),
    })
  })

  router.get('/v1/ns/:ns/entries/:jid', read, async (ctx) => {
    const {ns: namespace, jid: given} = ctx.params
    if (!/^\d{1,15}$/.test(given)) throw new InvalidInputError('a JID is a whole number')
    const entry = await journal.entry(namespace, Number(given))
    if (!entry) throw new NotFoundError(`JID ${given} is not in this namespace`, {jid: Number(given)})
    withoutTrees(ctx, [entry])
    sendJson(ctx, {entry: entryToWire(entry, 'full')})
  })

  router.get('/v1/ns/:ns/log', readQuietly, async (ctx) => {
    const namespace = ctx.params.ns
    const path = stringParam(ctx, 'path')
    if (path === undefined) throw new InvalidInputError('the query needs path')
    const before = intParam(ctx, 'before', {min: 1, fallback: Number.MAX_SAFE_INTEGER})
    const limit = intParam(ctx, 'limit', {min: 1, max: limits.pageEntries, fallback: limits.pageEntries})
    const entries = await journal.pathLog(namespace, checkPath(path), before, limit + 1)
    sendJson(ctx, {entries: entries.slice(0, limit).map((entry) => entryToWire(entry, 'none')), more: entries.length > limit})
  })

  router.get('/v1/ns/:ns/heads', read, async (ctx) => {
    // A position in the listing, never written anywhere: the last path of the previous page, which may be one that
    // the path rules of an earlier version let in; only its length is bounded, as a stored path's is.
    const after = stringParam(ctx, 'after')
    if (after !== undefined && Buffer.byteLength(after) > MAX_PATH_BYTES) throw new InvalidInputError(`after is over ${MAX_PATH_BYTES} bytes`)
    const limit = intParam(ctx, 'limit', {min: 1, max: limits.pageEntries, fallback: limits.pageEntries})
    const under = prefixParam(ctx)
    const read = (from: string | undefined) => journal.heads(ctx.params.ns, from, limit)
    const {heads, jid, more} = await (under ? headsUnder(read, under, after, limit) : read(after))
    const tree = heads.find(isTree)
    if (tree && !readsTrees(ctx, TREE_PROTOCOL)) throw treeRefused(ctx, tree)
    sendJson(ctx, {heads: heads.map((entry) => entryToWire(entry, 'full')), jid, more})
  })
}
