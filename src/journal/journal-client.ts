/**
 * The client of the sync protocol (docs/protocol.md): one object per server and namespace, keep-alive
 * connections, typed errors. Network failures are NetworkError; 401 UnauthorizedError; 403 ForbiddenError; an
 * unknown JID NotFoundError; chunks the server lacks on fetch MissingChunksError; any other refusal
 * ServerRejectedError with the server's status, code and message. Everything the server sends is checked
 * (entries, paths, chunk bytes against their ids) before it is returned.
 */
import {createHash, randomBytes} from 'node:crypto'
import {ID_BYTES} from '../chunk/chunk-id.js'
import {hexToKey, sha256Hex} from '../chunk/hash.js'
import {
  BadPackError,
  IncompatibleServerError,
  InvalidInputError,
  MissingChunksError,
  NotFoundError,
  ServerRejectedError,
  TooLargeError,
} from '../errors/index.js'
import type {ServerSettings} from '../folder/config.js'
import {PACK_TYPE, PACK_WITHOUT_IDS, type PackChunk} from '../protocol/wire-pack/pack-chunk.js'
import {PACK_LIMITS, PACK_TARGET_BYTES} from '../protocol/wire-pack/limits.js'
import {PROTOCOL_MINIMUMS} from '../protocol/limits.js'
import {BODY_ENCODING, COMPRESS_FROM_BYTES, compressBody, decompressBody} from '../protocol/content-encoding.js'
import type {ServerInfo} from '../protocol/server-info.js'
import type {EncryptionAnswer, EncryptionSetting} from '../protocol/encryption-setting.js'
import {PROTOCOL_VERSION} from '../protocol/version.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {expandTree} from '../manifest/id-tree.js'
import {fileManifest} from '../manifest/manifest.js'
import {type CommitItem, type CommitResult, itemChunkIds, itemToWire} from './commit-wire.js'
import {checkLogOrder, checkPageOrder} from './page-order.js'
import {defaultDeadlineMs} from './deadline.js'
import {PathPrefix} from './path-prefix.js'
import {validatePath} from '../paths/validate-path.js'
import type {RefusedEntry} from './read-answers.js'
import {inlineFromWire, inlinePositions, inlineToWire} from './inline-wire.js'
import type {JournalEntry} from './journal-entry.js'
import type {BandwidthLimits} from './bandwidth.js'
import type {Transport, TransportRequest, TransportResponse} from './http-transport.js'
import {transportFor} from './http2-transport.js'
import type {Sealing} from './sealing.js'
import {SEALED_USER_AGENT, USER_AGENT} from './user-agent.js'
import {clientTooOld, serverError} from './server-error.js'
import {releaseDeadBuffers} from '../util/release-buffers.js'

export type {ServerSettings} from '../folder/config.js'
export type {CommitItem, CommitResult} from './commit-wire.js'
export type {JournalEntry} from './journal-entry.js'

export interface ChangesPage {
  entries: JournalEntry[]
  /** Entries (or a move's old path) naming a path no client may write: refused here, reported. */
  refused: RefusedEntry[]
  /** JID of the last entry returned (or `since`): the next cursor. */
  last: number
  /** The namespace's newest JID. */
  head: number
  more: boolean
  /** Bytes of chunks the entries introduced, by the id they hash to. */
  inline: Map<string, Buffer>
}

const MAX_JSON_ANSWER = 256 * 1024 * 1024
/**
 * A JSON body past this is checked against the server's limit first (asked once): one it would refuse is not
 * sent. Over HTTP/2 a large body refused early can end in a reset of the stream rather than the 413.
 */
const ASK_LIMIT_ABOVE_BYTES = 64 * 1024
/**
 * A body from this size on is worth asking the server (once) whether it reads compressed bodies: compressing
 * saves more than the health request costs (about 400 bytes). Smaller ones are compressed only when the answer
 * is known already.
 */
const ASK_ENCODINGS_FROM_BYTES = 4096
/** About what asking the server's health costs on the wire, request and answer. */
const HEALTH_BYTES = 400

type Json = Record<string, unknown>

function malformed(what: string): never {
  throw new InvalidInputError(`malformed answer from the server: ${what}`)
}

function parseAnswer<T>(schema: {safeParse(value: unknown): {success: true; data: T} | {success: false}}, body: unknown, what: string): T {
  const parsed = schema.safeParse(body)
  return parsed.success ? parsed.data : malformed(what)
}

/**
 * The server's journal ends before `since` (404 with its head): it was restored from an older backup, or is another
 * server. Said so, with the way out, instead of the bare 404 on every pass.
 */
function behindCursor(error: unknown, since: number): NotFoundError | undefined {
  if (!(error instanceof NotFoundError)) return undefined
  const head = (error.data as {head?: unknown}).head
  if (typeof head !== 'number' || head >= since) return undefined
  return new NotFoundError(
    `the server's journal ends at JID ${head}, before this folder's ${since}: it was restored from an older backup, or it is another server; 'sync config set server URL --reset' rebuilds this folder's sync state against it (the files stay, and what the server lacks is sent again)`,
    {since, head},
  )
}

/** The answer readers (and the schema library with them) load with the first answer that has something in it. */
let answerReaders: Promise<typeof import('./read-answers.js')> | undefined
const readers = () => (answerReaders ??= import('./read-answers.js'))

/**
 * A `changes` page with nothing in it, read without the schemas: the answer to most passes and polls. Anything
 * else (or anything odd) goes through them.
 */
function emptyPage(body: Json): {last: number; head: number; more: boolean} | undefined {
  const {entries, last, head = last} = body
  const cursor = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
  if (!Array.isArray(entries) || entries.length > 0 || body.inline !== undefined || body.inlineText !== undefined) return undefined
  if (!cursor(last) || !cursor(head)) return undefined
  const {more = last < head} = body
  return typeof more === 'boolean' ? {last, head, more} : undefined
}

/** A `changes` page's cursors, lean (User-Agent `lean`) or not: `head` is `last` when absent, `more` is `last < head`. */
function pageCursors(page: {last: number; head?: number; more?: boolean}): {last: number; head: number; more: boolean} {
  const head = page.head ?? page.last
  return {last: page.last, head, more: page.more ?? page.last < head}
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

export interface UploadOptions {
  /** Bytes of chunks per pack (default about 8 MiB): smaller packs make a transfer resumable in smaller steps. */
  packBytes?: number
  /** Told after each pack the server stored: its chunk ids and its size on the wire. */
  onSent?: (ids: readonly string[], bytes: number) => void
}

export interface JournalClientOptions {
  timeoutMs?: number
  /** Limits on chunk bodies (packs) up and down, shared with this client's siblings. */
  bandwidth?: BandwidthLimits
  /** An encrypted folder's: everything is mapped through it, both ways (sealing.ts). */
  sealing?: Sealing
}

export class JournalClient {
  private readonly transport: Transport
  private readonly timeoutMs: number
  private readonly bandwidth: BandwidthLimits
  /** Clients made by `sibling()`: their bytes count in `traffic()`. */
  private readonly siblings: JournalClient[] = []
  private readonly ns: string
  /** A random id for this client: the server does not wake its long-polls for its own commits. */
  readonly clientId = randomBytes(6).toString('base64url')
  private healthAnswer?: Promise<ServerInfo>
  private info?: Promise<ServerInfo>
  /** Whether the server reads `Content-Encoding: br` bodies, once its health answer came. */
  private readsCompressed?: boolean
  /** Whether the server reads packs whose blocks carry no ids, once its health answer came. */
  private readsPacksWithoutIds?: boolean
  /** The server refused edits naming inline chunks by position (it predates edit refs): this client sends ids. */
  private editRefsRefused = false
  /** The newest client version the server told of, when newer than this one (its `Sync-Latest-Client` header). */
  newerClient?: string
  private treeStore?: ChunkStore
  private onChunks?: (direction: 'up' | 'down', bytes: number) => void
  /** Names the access this client has (server, namespace, token) without holding the token: what a folder remembers about it. */
  readonly accessKey: string
  /** A sub-tree folder's paths are mapped here, both ways (path-prefix.ts). */
  private readonly prefix?: PathPrefix
  /** An encrypted folder's paths and chunks are mapped here, both ways (sealing.ts). */
  private readonly sealing?: Sealing

  constructor(
    private readonly settings: ServerSettings,
    options: JournalClientOptions = {},
  ) {
    this.accessKey = createHash('sha256').update(`${settings.url}\n${settings.namespace}\n${settings.token}`).digest('hex').slice(0, 32)
    this.sealing = options.sealing
    if (this.sealing && settings.prefix !== undefined) {
      throw new InvalidInputError('a sub-tree of an encrypted namespace cannot be synced on its own: sync the whole namespace')
    }
    this.transport = transportFor(settings.url, settings.token, this.sealing ? SEALED_USER_AGENT : USER_AGENT)
    this.timeoutMs = options.timeoutMs ?? 30_000
    this.bandwidth = options.bandwidth ?? {}
    this.ns = `/v1/ns/${encodeURIComponent(settings.namespace)}`
    if (settings.prefix !== undefined) this.prefix = new PathPrefix(settings.prefix)
  }

  /** Why a local path cannot be committed (the protocol's rules, on the path as it goes: under the sub-tree), or undefined. */
  unsendable(path: string): string | undefined {
    if (this.sealing) return this.sealing.unsendable(path)
    return this.prefix ? this.prefix.unsendable(path) : validatePath(path)
  }

  /** Whether this client seals what it sends (an encrypted folder's): its commits carry whole manifests, no chunk bytes. */
  get sealed(): boolean {
    return this.sealing !== undefined
  }

  /**
   * Another client of the same server and namespace on a connection of its own (the big lane's: a large body on
   * it never queues ahead of a small request on this one), sharing this one's bandwidth limits and tree store.
   */
  sibling(): JournalClient {
    const other = new JournalClient(this.settings, {timeoutMs: this.timeoutMs, bandwidth: this.bandwidth, sealing: this.sealing})
    if (this.treeStore) other.keepTreesIn(this.treeStore)
    this.siblings.push(other)
    return other
  }

  async health(): Promise<ServerInfo> {
    // The schema library loads only when a health answer is read: not for a pass with nothing to do.
    const {parseServerInfo} = await import('../protocol/server-info.js')
    const info = parseServerInfo(await this.json('GET', '/v1/health', {auth: false}))
    if ('error' in info) malformed(`health (${info.error})`)
    return info
  }

  /**
   * The server's protocol and limits, asked once (and again after a failure to ask). A server of another protocol
   * version is refused before any request that depends on it.
   */
  serverInfo(): Promise<ServerInfo> {
    this.info ??= this.healthOnce().then((info) => {
      if (info.protocol > PROTOCOL_VERSION) throw clientTooOld(this.transport.origin, info)
      if (info.protocol !== PROTOCOL_VERSION) {
        throw new IncompatibleServerError(
          `the server at ${this.transport.origin} speaks protocol ${info.protocol} (version ${info.version}); this sync speaks ${PROTOCOL_VERSION}: update the server`,
          {protocol: info.protocol},
        )
      }
      return info
    })
    this.info.catch(() => (this.info = undefined))
    return this.info
  }

  /** The health answer, asked once (and again after a failure to ask), whatever protocol the server speaks. */
  private healthOnce(): Promise<ServerInfo> {
    this.healthAnswer ??= this.health().then((info) => {
      this.readsCompressed = info.encodings.includes(BODY_ENCODING)
      this.readsPacksWithoutIds = info.packsWithoutIds
      return info
    })
    this.healthAnswer.catch(() => (this.healthAnswer = undefined))
    return this.healthAnswer
  }

  /**
   * A JSON body as it goes: compressed when the server reads compressed bodies (docs/protocol.md, Compressed JSON)
   * and it pays. A server from before them says nothing of encodings and gets the body as it is.
   */
  private async encodeBody(body: Buffer): Promise<{body: Buffer; contentEncoding?: string}> {
    if (body.length < COMPRESS_FROM_BYTES) return {body}
    if (this.readsCompressed === undefined && body.length >= ASK_ENCODINGS_FROM_BYTES) await this.healthOnce()
    const compressed = this.readsCompressed ? await compressBody(body, 'here') : undefined
    return compressed ? {body: compressed, contentEncoding: BODY_ENCODING} : {body}
  }

  /**
   * Whether a pack of `chunks` may go without ids: the server says it reads such packs. Asked (once) for a pack
   * whose ids cost more than the question (about 400 bytes).
   */
  private async takesPacksWithoutIds(chunks: number): Promise<boolean> {
    if (this.readsPacksWithoutIds === undefined && chunks * ID_BYTES > HEALTH_BYTES) await this.healthOnce()
    return this.readsPacksWithoutIds ?? false
  }

  /** An answer's body as the server wrote it, inflated when it came compressed (never past `maxBytes`). */
  private async decodeAnswer(response: TransportResponse, maxBytes: number): Promise<TransportResponse> {
    try {
      return {...response, body: await decompressBody(response.body, response.contentEncoding, maxBytes, 'the server answer', 'here')}
    } catch (error) {
      if (error instanceof InvalidInputError) malformed(error.message)
      throw error
    }
  }

  /**
   * The most of `key` one request may carry: when `wanted` is within the protocol's minimum, that minimum (every
   * server takes it: nothing asked); else the server's own limit.
   */
  private async limit(key: keyof typeof PROTOCOL_MINIMUMS, wanted: number): Promise<number> {
    if (wanted <= PROTOCOL_MINIMUMS[key]) return PROTOCOL_MINIMUMS[key]
    return (await this.serverInfo()).limits[key]
  }

  /**
   * Commits items in order, in requests of at most 1000. `inline` offers chunk bytes by id: each request
   * carries those its items name, up to the server's 1 MiB; the server reports any others it lacks as `missing`.
   */
  async commit(items: CommitItem[], options: {device?: string; inline?: Map<string, Uint8Array>} = {}): Promise<CommitResult[]> {
    const results: CommitResult[] = []
    const perCommit = await this.limit('commitItems', items.length)
    // A tree needs a server that keeps trees: an older one is told apart before it refuses the item.
    if (items.some((item) => 'tree' in item)) await this.serverInfo()
    let offeredBytes = 0
    for (const bytes of options.inline?.values() ?? []) offeredBytes += bytes.length
    const inlineBudget = await this.limit('commitInline', offeredBytes)
    const {prefix, sealing} = this
    for (const batch of batches(items, perCommit)) {
      // An encrypted folder's chunks travel sealed, in packs (the server of an encrypted namespace refuses inline bytes).
      const inline = !sealing && options.inline && options.inline.size > 0 ? this.inlineFor(batch, options.inline, inlineBudget) : new Map<string, Uint8Array>()
      const sent = prefix ? batch.map((item) => prefix.item(item)) : sealing ? await Promise.all(batch.map((item) => sealing.item(item))) : batch
      const request = (inlined?: ReadonlyMap<string, number>): Json => ({
        ...(options.device === undefined ? {} : {device: options.device}),
        client: this.clientId,
        items: sent.map((item) => itemToWire(item, inlined)),
        ...inlineToWire(inline.values()),
      })
      const read = await readers()
      const {results: given} = read.readAnswer(
        'commit',
        await this.commitRequest(
          request,
          inline,
          batch.some((item) => 'edits' in item),
        ),
      )
      if (given.length !== batch.length) malformed(`${given.length} commit results for ${batch.length} items`)
      const answers = given.map(read.resultFromWire).map((result) => (prefix ? prefix.result(result) : result))
      // A conflict's head may be a tree: the caller merges with its ids.
      await this.expandTrees(answers.flatMap((result) => (result.status === 'conflict' ? [result.head] : [])))
      if (sealing) await sealing.flush()
      results.push(...(sealing ? await Promise.all(answers.map((result) => sealing.result(result, this.sealedFetch))) : answers))
    }
    return results
  }

  /** The namespace's encryption setting, or `{encrypted: false}` (docs/protocol.md, Encryption). */
  async encryption(): Promise<EncryptionAnswer> {
    // The schema library loads only here, as for health.
    const {encryptionAnswerSchema} = await import('../protocol/encryption-setting.js')
    return parseAnswer(encryptionAnswerSchema, await this.json('GET', `${this.ns}/encryption`), 'encryption')
  }

  /** Sets the namespace's encryption setting, once, while it is empty; the answer is the setting kept (perhaps another device's). */
  async setEncryption(setting: EncryptionSetting): Promise<EncryptionSetting> {
    const {encryptionSettingSchema} = await import('../protocol/encryption-setting.js')
    return parseAnswer(encryptionSettingSchema, await this.json('POST', `${this.ns}/encryption`, {json: setting}), 'encryption')
  }

  /** What the token may do: `read-write` or `read-only` (of this client's namespace: else 403 before it answers). */
  async rights(): Promise<'read-write' | 'read-only'> {
    // A namespace route first: a token of another namespace (or an admin one) is refused there as it is everywhere.
    await this.changes(0, {limit: 1})
    const {rights} = await this.json('GET', '/v1/whoami')
    if (rights !== 'read-write' && rights !== 'read-only') malformed(`whoami: rights ${JSON.stringify(rights)}`)
    return rights
  }

  async changes(since: number, options: {limit?: number; wait?: number; inline?: number; signal?: AbortSignal} = {}): Promise<ChangesPage> {
    const query = new URLSearchParams({since: String(since)})
    if (options.limit !== undefined) query.set('limit', String(options.limit))
    if (options.wait) {
      query.set('wait', String(options.wait))
      query.set('client', this.clientId)
    }
    // Sealed chunks are fetched and opened by the sealing, which asks for what it has not mapped yet.
    if (options.inline && !this.sealing) query.set('inline', String(options.inline))
    if (this.prefix) query.set('prefix', this.prefix.prefix)
    const body = await this.json('GET', `${this.ns}/changes?${query}`, {idleMs: (options.wait ?? 0) * 1000 + this.timeoutMs, signal: options.signal}).catch(
      (error) => {
        throw behindCursor(error, since) ?? error
      },
    )
    const nothing = emptyPage(body)
    if (nothing) {
      checkPageOrder(since, {...nothing, entries: []})
      return {entries: [], refused: [], ...nothing, inline: new Map()}
    }
    const read = await readers()
    const page = read.readAnswer('changes', body)
    const inlined = inlineFromWire(page).map((bytes) => [sha256Hex(bytes), bytes] as const)
    const inlineIds = inlined.map(([id]) => id)
    const inline = new Map(inlined)
    const listed = page.entries.map((entry) => read.pageEntryFromWire(entry, inlineIds))
    checkPageOrder(since, {...pageCursors(page), entries: listed.flatMap((r) => (r.entry ? [r.entry] : []))})
    const entries = await this.opened(this.mapped(listed))
    const accepted = await this.expandTrees(entries.flatMap((r) => (r.entry ? [r.entry] : [])))
    return {entries: accepted, refused: entries.flatMap((r) => r.refused), ...pageCursors(page), inline}
  }

  async entry(jid: number): Promise<JournalEntry> {
    const read = await readers()
    const entry = read.entryFromWire(read.readAnswer('entry', await this.json('GET', `${this.ns}/entries/${jid}`)).entry)
    if (this.sealing) return this.sealing.entry((await this.expandTrees([entry]))[0], this.sealedFetch)
    return (await this.expandTrees([this.prefix ? this.prefix.inside(entry) : entry]))[0]
  }

  async log(path: string, options: {before?: number; limit?: number} = {}): Promise<{entries: JournalEntry[]; more: boolean}> {
    const query = new URLSearchParams({path: this.remotePath(path)})
    if (options.before !== undefined) query.set('before', String(options.before))
    if (options.limit !== undefined) query.set('limit', String(options.limit))
    const read = await readers()
    const {entries, more} = read.readAnswer('log', await this.json('GET', `${this.ns}/log?${query}`))
    const listed = entries.map((entry) => read.entryFromWire(entry))
    checkLogOrder(path, options.before, listed)
    const mapped = await this.opened(this.mapped(listed.map((entry) => ({entry, refused: []}))))
    return {entries: mapped.flatMap((r) => (r.entry ? [r.entry] : [])), more}
  }

  async heads(options: {after?: string; limit?: number} = {}): Promise<{heads: JournalEntry[]; jid: number; more: boolean}> {
    const query = new URLSearchParams()
    if (options.after !== undefined) query.set('after', this.remotePath(options.after))
    if (options.limit !== undefined) query.set('limit', String(options.limit))
    if (this.prefix) query.set('prefix', this.prefix.prefix)
    const read = await readers()
    const {heads, jid, more} = read.readAnswer('heads', await this.json('GET', `${this.ns}/heads?${query}`))
    const mapped = await this.opened(this.mapped(heads.map((entry) => ({entry: read.entryFromWire(entry), refused: []}))))
    return {heads: await this.expandTrees(mapped.flatMap((r) => (r.entry ? [r.entry] : []))), jid, more}
  }

  async missing(ids: string[]): Promise<string[]> {
    const {sealing} = this
    if (sealing) {
      const sealed = await Promise.all(ids.map((id) => sealing.sealedId(id)))
      await sealing.flush()
      return sealing.plainIds(await this.missingOnServer(sealed))
    }
    return this.missingOnServer(ids)
  }

  private async missingOnServer(ids: string[]): Promise<string[]> {
    const missing: string[] = []
    for (const batch of batches(ids, await this.limit('idsPerRequest', ids.length))) {
      const answer = (await readers()).readAnswer('missing', await this.json('POST', `${this.ns}/chunks/missing`, {json: {ids: batch}}))
      for (const id of answer.missing) missing.push(id)
    }
    return missing
  }

  /**
   * Sends the chunks from `store` in packs of about 8 MiB (at most a second's worth under a bandwidth limit); the
   * server verifies and stores each pack durably before it answers, while the next pack is read and encoded.
   */
  async upload(store: ChunkStore, ids: string[], options: UploadOptions = {}): Promise<{received: number; stored: number}> {
    const unique = [...new Set(ids)]
    const absent = store.missing(unique)
    if (absent.length > 0) throw new MissingChunksError(absent)
    // The pack format (tar-stream and its helpers) loads only when packs travel: not for a pass with no news.
    const {encodePack} = await import('../protocol/wire-pack/encode.js')
    const totals = {received: 0, stored: 0}
    let group: string[] = []
    let bytes = 0
    const {up} = this.bandwidth
    const packBytes = Math.min(options.packBytes ?? PACK_TARGET_BYTES, up?.bytesPerSecond ?? Infinity)
    // One pack on the wire while the next is read and encoded: the server checks and stores a pack while this side
    // prepares the next, instead of each side waiting for the other (two packs in memory at most).
    let inFlight: Promise<void> = Promise.resolve()
    const post = async (ids: string[], raw: number, pack: Buffer) => {
      await up?.take(pack.length)
      const answer = (await readers()).readAnswer(
        'packs',
        this.parsed(
          await this.request('POST', `${this.ns}/packs`, {
            body: pack,
            contentType: PACK_TYPE,
            idleMs: this.timeoutMs,
            maxBytes: MAX_JSON_ANSWER,
          }),
        ),
      )
      totals.received += answer.received
      totals.stored += answer.stored
      options.onSent?.(ids, pack.length)
      this.onChunks?.('up', raw)
      releaseDeadBuffers()
    }
    const send = async () => {
      const [ids, raw] = [group, bytes]
      group = []
      bytes = 0
      const pack = await encodePack(this.sealing ? sealChunks(this.sealing, ids) : readChunks(store, ids), {
        ids: !(await this.takesPacksWithoutIds(ids.length)),
      })
      await inFlight
      inFlight = post(ids, raw, pack)
      // Awaited before the next pack goes or at the end; meanwhile a failure is not an unhandled rejection.
      inFlight.catch(() => {})
    }
    for (const id of unique) {
      const length = store.chunkLength(id) ?? 0
      if (group.length > 0 && bytes + length > packBytes) await send()
      group.push(id)
      bytes += length
    }
    if (group.length > 0) await send()
    await inFlight
    await this.sealing?.flush()
    return totals
  }

  /**
   * Downloads the chunks that `store` lacks, in as many packs as the server's answers need, verifies every one,
   * adds them and flushes the store. Returns how many chunks were added.
   */
  async fetch(store: ChunkStore, ids: string[]): Promise<number> {
    let added = 0
    await this.downloadPlain(store.missing(ids), async ({id, bytes}) => {
      if (store.has(id)) return
      store.addKeyed(bytes, hexToKey(id))
      added++
      if (store.needsDrain) await store.drain()
    })
    await store.flush()
    return added
  }

  /** Chunks by id, without a store (a command that has none): held in memory, so for a few only. */
  async fetchBytes(ids: string[]): Promise<Map<string, Buffer>> {
    const got = new Map<string, Buffer>()
    await this.downloadPlain([...new Set(ids)], async ({id, bytes}) => void got.set(id, bytes))
    return got
  }

  /** Chunks by the ids this client's caller knows: plain ones, opened from sealed ones in an encrypted folder. */
  private downloadPlain(ids: string[], take: (chunk: PackChunk) => Promise<void>): Promise<void> {
    if (!this.sealing) return this.download(ids, take)
    return this.sealing.fetchPlain(ids, this.sealedFetch, (id, bytes) => take({id, bytes}))
  }

  /** The sealing's way to the server's sealed chunks. */
  private readonly sealedFetch = (ids: string[], take: (chunk: PackChunk) => Promise<void>) => this.download(ids, take)

  /** Asks for `wanted` in as many packs as the server's answers need; each chunk (checked against its id) once. */
  private async download(wanted: string[], take: (chunk: PackChunk) => Promise<void>): Promise<void> {
    const perRequest = await this.limit('idsPerRequest', wanted.length)
    const {decodePack} = await import('../protocol/wire-pack/decode.js')
    while (wanted.length > 0) {
      const batch = wanted.slice(0, perRequest)
      const asked = new Set(batch)
      const response = await this.request('POST', `${this.ns}/packs/fetch`, {
        ...(await this.encodeBody(Buffer.from(JSON.stringify({ids: batch})))),
        // A server from before packs without ids ignores this and sends ids; either way each chunk is hashed.
        accept: PACK_WITHOUT_IDS,
        idleMs: this.timeoutMs,
        maxBytes: PACK_LIMITS.maxCompressed,
        // The answer is the large part: time for the largest pack taken, not for the ids asked.
        deadlineMs: defaultDeadlineMs(this.timeoutMs, PACK_LIMITS.maxCompressed),
      })
      if (response.status !== 200) throw serverError(response.status, response.body)
      // Paid after it came: the next request waits until the rate allows what this one brought.
      await this.bandwidth.down?.take(response.body.length)
      let got = 0
      let bytes = 0
      for (const chunk of await decodePack(response.body)) {
        if (!asked.delete(chunk.id)) continue
        got++
        bytes += chunk.bytes.length
        await take(chunk)
      }
      if (got === 0) throw new BadPackError('the server sent none of the chunks asked for')
      this.onChunks?.('down', bytes)
      wanted = [...asked, ...wanted.slice(perRequest)]
      releaseDeadBuffers()
    }
  }

  /**
   * Where the nodes of trees (files of many chunks, src/manifest/id-tree.ts) are kept: a device's store keeps them,
   * so the next version of the file costs only its new nodes. Without one they are fetched each time.
   */
  keepTreesIn(store: ChunkStore): void {
    this.treeStore = store
    this.sealing?.useStore(store)
  }

  /** Replaces each entry's tree by the file's full manifest, reading the nodes level by level. */
  private async expandTrees<T extends JournalEntry>(entries: T[]): Promise<T[]> {
    for (const entry of entries) {
      const {tree} = entry
      if (!tree) continue
      const store = this.treeStore
      const read = async (level: string[]): Promise<Buffer[]> => {
        if (store) {
          await this.fetchNodes(store, level)
          return Promise.all(level.map((id) => store.read(id)))
        }
        const got = new Map<string, Buffer>()
        await this.download([...new Set(level)], async ({id, bytes}) => void got.set(id, bytes))
        return level.map((id) => got.get(id) ?? malformed(`the server did not send tree node ${id}`))
      }
      const ids = await expandTree(tree, read, `the tree of ${entry.path} (JID ${entry.jid})`)
      entry.manifest = fileManifest(ids, entry.size!, entry.exec)
      delete entry.tree
    }
    return entries
  }

  /** Tells `listener` the chunk bytes of each pack sent or received (for progress displays). */
  reportChunks(listener: (direction: 'up' | 'down', bytes: number) => void): void {
    this.onChunks = listener
  }

  /** Bytes written to and read from the sockets so far, headers included, this client's siblings' too. */
  traffic(): {sent: number; received: number} {
    const total = this.transport.traffic()
    for (const other of this.siblings) {
      const {sent, received} = other.traffic()
      total.sent += sent
      total.received += received
    }
    return total
  }

  close(): void {
    this.transport.close()
  }

  /**
   * Sends a commit, its edits naming inline chunks by position (edit refs) unless this server refused them: a server
   * from before them answers 400, and the request goes again with ids, as every later one of this client.
   */
  private async commitRequest(
    request: (inlined?: ReadonlyMap<string, number>) => Json,
    inline: ReadonlyMap<string, Uint8Array>,
    withEdits: boolean,
  ): Promise<unknown> {
    const path = `${this.ns}/commit`
    if (!withEdits || inline.size === 0 || this.editRefsRefused) return this.json('POST', path, {json: request()})
    try {
      return await this.json('POST', path, {json: request(inlinePositions(inline))})
    } catch (error) {
      if (!(error instanceof ServerRejectedError && error.serverCode === 'E_INVALID_INPUT')) throw error
      this.editRefsRefused = true
      return this.json('POST', path, {json: request()})
    }
  }

  /** Tree nodes (server ids, never sealed: they list the ids the server knows) into the store. */
  private async fetchNodes(store: ChunkStore, ids: string[]): Promise<void> {
    await this.download(store.missing(ids), async ({id, bytes}) => {
      if (!store.has(id)) store.addKeyed(bytes, hexToKey(id))
    })
    await store.flush()
  }

  /** A local path as the server knows it. */
  private remotePath(path: string): string {
    if (this.sealing) return this.sealing.toRemote(path)
    return this.prefix ? this.prefix.toRemote(path) : path
  }

  /** Entries as an encrypted folder sees them (sealing.ts): trees expanded first, as their nodes list sealed ids. */
  private async opened(read: {entry?: JournalEntry; refused: RefusedEntry[]}[]): Promise<{entry?: JournalEntry; refused: RefusedEntry[]}[]> {
    const {sealing} = this
    if (!sealing) return read
    await this.expandTrees(read.flatMap((r) => (r.entry ? [r.entry] : [])))
    const opened = await sealing.entries(
      read.flatMap((r) => (r.entry ? [r.entry] : [])),
      this.sealedFetch,
    )
    let next = 0
    return read.map((r) => (r.entry ? {entry: opened[next].entry, refused: [...r.refused, ...opened[next++].refused]} : r))
  }

  /** Entries as a sub-tree folder sees them (path-prefix.ts); as they are for a whole namespace. */
  private mapped(read: {entry?: JournalEntry; refused: RefusedEntry[]}[]): {entry?: JournalEntry; refused: RefusedEntry[]}[] {
    const {prefix} = this
    if (!prefix) return read
    return read.map(({entry, refused}) => {
      if (!entry) return {refused}
      const mapped = prefix.entry(entry)
      return {entry: mapped.entry, refused: [...refused, ...mapped.refused]}
    })
  }

  private inlineFor(batch: CommitItem[], offered: Map<string, Uint8Array>, budget: number): Map<string, Uint8Array> {
    const inline = new Map<string, Uint8Array>()
    let used = 0
    for (const item of batch) {
      for (const id of itemChunkIds(item)) {
        const bytes = offered.get(id)
        if (!bytes || inline.has(id) || used + bytes.length > budget) continue
        inline.set(id, bytes)
        used += bytes.length
      }
    }
    return inline
  }

  private async json(method: string, path: string, options: {json?: unknown; auth?: boolean; idleMs?: number; signal?: AbortSignal} = {}): Promise<Json> {
    const body = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json))
    if (body && body.length > ASK_LIMIT_ABOVE_BYTES) {
      const {jsonBody} = (await this.serverInfo()).limits
      if (body.length > jsonBody) throw new TooLargeError('the request body', jsonBody)
    }
    const response = await this.request(method, path, {
      ...(body ? await this.encodeBody(body) : {}),
      acceptEncoding: BODY_ENCODING,
      idleMs: options.idleMs ?? this.timeoutMs,
      maxBytes: MAX_JSON_ANSWER,
      signal: options.signal,
      auth: options.auth,
    })
    return this.parsed(await this.decodeAnswer(response, MAX_JSON_ANSWER))
  }

  /** A request through the transport, noting a newer client the server tells of. */
  private async request(method: string, path: string, options: TransportRequest): Promise<TransportResponse> {
    const response = await this.transport.request(method, path, options)
    if (response.latestClient !== undefined) this.newerClient = response.latestClient
    return response
  }

  private parsed(response: {status: number; body: Buffer}): Json {
    if (response.status < 200 || response.status > 299) throw serverError(response.status, response.body)
    let body: unknown
    try {
      body = JSON.parse(response.body.toString('utf8'))
    } catch {
      malformed('not JSON')
    }
    if (body === null || typeof body !== 'object') malformed('not an object')
    return body as Json
  }
}

async function* readChunks(store: ChunkStore, ids: string[]): AsyncIterable<PackChunk> {
  for (const id of ids) yield {id, bytes: await store.read(id)}
}

/** Stored plain chunks sealed as they are packed (their mappings recorded): an encrypted folder's uploads. */
async function* sealChunks(sealing: Sealing, ids: string[]): AsyncIterable<PackChunk> {
  for (const id of ids) yield await sealing.sealStored(id)
}
