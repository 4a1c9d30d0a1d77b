/**
 * What the routes need from storage, as interfaces: the journal, the chunks and the tokens. The embedded
 * implementation is LMDB in the data folder (lmdb/); another backend implements these and nothing else changes.
 */
import type {JournalEntry} from '#src/journal/journal-entry.js'
import type {StoredManifest} from '#src/manifest/manifest.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import type {FsckReport} from '#src/store/fsck.js'
import type {CollectHooks, CollectOptions, CollectReport} from '#src/store/collect-garbage.js'
import type {EncryptionSetting} from '#src/protocol/encryption-setting.js'
import type {RetentionPolicy} from './retention-policy.js'

/** An entry as stored: a file or symlink has its manifest (a file of many chunks as a tree) unless it was pruned. */
export interface StoredEntry extends Omit<JournalEntry, 'manifest' | 'tree' | 'edits'> {
  manifest?: StoredManifest
  /** On a move: the old path's head before it (the version whose chunks the move carries over). */
  fromPrev?: number
}

export type NewEntry = Omit<StoredEntry, 'jid'>

/**
 * What a transaction's work may read, named before it starts so that a backend whose reads are remote can load
 * them all first (in one round trip) and run the work without waiting: the heads of `heads`, and whether a path
 * is present under each of `under`. `appends` bounds how many entries the work writes.
 */
export interface ReadSet {
  heads: ReadonlySet<string>
  under: ReadonlySet<string>
  appends: number
}

/**
 * One namespace's journal inside a write transaction: reads see the writes made before them in it. Reading
 * outside the transaction's read set throws (a bug in the caller, whatever the backend).
 */
export interface JournalView {
  /** The newest entry that touched `path` (its head), or undefined for a path never seen. */
  head(path: string): StoredEntry | undefined
  /** The head of the first present path under `path/` (in byte order) other than `except`, if any. */
  presentUnder(path: string, except?: string): StoredEntry | undefined
  /** Writes the next entry and makes it the head of its path (and of `from`); returns its JID. */
  append(entry: NewEntry): number
}

/** The chunks a commit's entries may name: the namespace's store, and its `recoveries` when they were counted present. */
export interface CommitChunks {
  store: NamespaceChunks
  recoveries: number
}

/** Reads see only durable entries: nothing is shown that a crash could take back. */
export interface JournalStorage {
  /** The newest durable JID of the namespace, 0 when it has none. */
  head(namespace: string): Promise<number>
  entry(namespace: string, jid: number): Promise<StoredEntry | undefined>
  /** The entries of these JIDs that exist, in JID order, in one read (a remote backend: one query). */
  entriesAt(namespace: string, jids: readonly number[]): Promise<StoredEntry[]>
  /** Entries with JIDs after `since`, in order, at most `limit`. */
  range(namespace: string, since: number, limit: number): Promise<StoredEntry[]>
  /** Entries that touched `path` (moves away included) with JIDs below `before`, newest first, at most `limit`. */
  pathLog(namespace: string, path: string, before: number, limit: number): Promise<StoredEntry[]>
  /** The heads of present paths after `after` in byte order, at most `limit`, as of one JID. */
  heads(namespace: string, after: string | undefined, limit: number): Promise<{heads: StoredEntry[]; jid: number; more: boolean}>
  /**
   * Runs `work` in one transaction (serialised with every other writer of the namespace, in this process or
   * another) and resolves once its writes are durable. `work` reads only `reads` and may be run more than once.
   * With `chunks` (a commit): every chunk added to `chunks.store` before the call is durable too when it resolves,
   * flushed before the transaction or, where the backend can, written in it (LMDB: a few small chunks, one flush
   * for both); and if the store recovered since `chunks.recoveries` (chunks counted present may be gone) it throws
   * NoSpaceError and writes nothing.
   */
  transact<T>(namespace: string, reads: ReadSet, work: (view: JournalView) => T, chunks?: CommitChunks): Promise<T>
  /**
   * Drops the manifests of these entries, durably, in one transaction: each stays in the journal marked `pruned`,
   * with its size. A path's head is never pruned (skipped). Returns how many were pruned.
   */
  prune(namespace: string, jids: readonly number[]): Promise<number>
}

/** Per-namespace settings kept by the server. */
export interface SettingsStorage {
  /** The namespace's retention (the defaults when never set). */
  retention(namespace: string): Promise<RetentionPolicy>
  /** Sets some of the namespace's retention; returns the whole of it. */
  setRetention(namespace: string, changes: Partial<RetentionPolicy>): Promise<RetentionPolicy>
  /** The namespace's encryption setting (docs/protocol.md, Encryption), or undefined for a plain namespace. */
  encryption(namespace: string): Promise<EncryptionSetting | undefined>
  /** Keeps `setting` unless the namespace has one already, durably; returns the one kept (the first set wins). */
  setEncryption(namespace: string, setting: EncryptionSetting): Promise<EncryptionSetting>
  /** The bytes of packs the namespace may keep (server/storage/namespace-quota.ts), or undefined: no quota. */
  quota(namespace: string): Promise<number | undefined>
  /** Sets the namespace's quota (null: none), durably; returns it. */
  setQuota(namespace: string, bytes: number | null): Promise<number | undefined>
}

/**
 * One namespace's chunks. A chunk the store holds counts as present to a commit, which makes it durable no later
 * than its entries (`JournalStorage.transact` with `chunks`).
 */
export interface NamespaceChunks {
  /** The ids among `ids` not stored, in order, without repeats. */
  missing(ids: Iterable<string>): Promise<string[]>
  /** A stored chunk's length, or undefined when absent. */
  length(id: string): Promise<number | undefined>
  /** The length of these chunks together (a chunk listed twice counts twice), or undefined when one is absent. */
  totalLength(ids: Iterable<string>): Promise<number | undefined>
  /** Stores verified chunks; returns how many were new. Durable after `flush`. */
  add(chunks: Iterable<PackChunk>): Promise<number>
  /** Durable; after a failed write the store recovers (the chunks not yet durable are dropped) and this throws. */
  flush(): Promise<void>
  /**
   * Moves on each such recovery, and each garbage collection that dropped chunks: a caller that saw chunks present
   * before one must not count on them.
   */
  readonly recoveries: number
  read(id: string): Promise<Buffer>
  /** The space its pack files take. */
  usage(): Promise<{packs: number; bytes: number}>
  check(): Promise<FsckReport>
  /**
   * Runs `work`, which counts chunks present and then names them durably (a commit), or stores chunks a commit
   * will name (an upload), with no garbage collection dropping chunks in between.
   */
  keepPresent<T>(work: () => Promise<T>): Promise<T>
  /** Garbage collection of the namespace's chunks (src/store/collect-garbage.ts); `exclusive` is this store's. */
  collect(hooks: Omit<CollectHooks, 'exclusive'>, options: CollectOptions): Promise<CollectReport>
}

export interface ChunkStorage {
  namespace(name: string): Promise<NamespaceChunks>
  close(): Promise<void>
}

/** What a token may do: read (and write) its namespace's data, or read the operator's routes (/metrics) and no namespace's. */
export type TokenRights = 'read-write' | 'read-only' | 'admin'

/** Whose a token is: one namespace's, or the operator's (an admin token, of no namespace). */
export type TokenScope = {rights: 'read-write' | 'read-only'; namespace: string} | {rights: 'admin'}

/** A token's grant: its scope and its name (a device name, unique in its namespace, or among admin tokens). */
export type TokenGrant = TokenScope & {name: string}

/** A token as listed: never the token or its hash. Times in milliseconds since the epoch. */
export type TokenInfo = TokenGrant & {created: number; lastUsed?: number}

export interface TokenStorage {
  /**
   * Makes a new token of `scope` named `name` (creating a read-write or read-only token's namespace) and returns
   * it with its grant; only its hash is kept. Without a name it is named `token-` and the first 6 hex digits of its
   * hash. A name taken in its namespace (or, for an admin token, among admin tokens) throws NameTakenError.
   */
  create(scope: TokenScope, name?: string): Promise<TokenGrant & {token: string}>
  /** Whether a token was there to revoke. */
  revoke(token: string): Promise<boolean>
  /** Revokes the token named `name` of `namespace` (undefined: of the admin tokens); whether there was one. */
  revokeByName(name: string, namespace: string | undefined): Promise<boolean>
  lookup(token: string): Promise<TokenGrant | undefined>
  /** Every token, or those of one namespace, by namespace (admin tokens first) and name. */
  list(namespace?: string): Promise<TokenInfo[]>
  /** Records when tokens were last used (token -> time), in one write; an unknown token or an older time is skipped. */
  markUsed(uses: ReadonlyMap<string, number>): Promise<void>
  /** A counter that moves on every revocation, by this process or another sharing the storage. */
  revocations(): Promise<number>
  namespaces(): Promise<string[]>
}

/** The last error the server answered a device. */
export interface DeviceError {
  time: number
  status: number
  code: string
  message: string
  /** The request's method and path (at most 200 characters). */
  request: string
}

/**
 * What the server knows of a device: a namespace's token (by its name), as seen on the routes of a sync pass.
 * Times in milliseconds since the epoch.
 */
export interface DeviceRecord {
  namespace: string
  /** The token's name. */
  token: string
  /** The `device` of its last commit (a name the client chose; informative). */
  device?: string
  lastSeen: number
  /** Its `User-Agent` (at most 64 printable characters): `sync/0.1.0` for this project's client. */
  agent?: string
  /** The `since` of its last `changes` request: the JID up to which it has read the journal. */
  cursor?: number
  lastError?: DeviceError
}

export interface DeviceStorage {
  /** Every device recorded, or those of one namespace, by namespace and token name. */
  list(namespace?: string): Promise<DeviceRecord[]>
  /** Writes these records (replacing those of the same namespace and token), in one write. */
  save(records: Iterable<DeviceRecord>): Promise<void>
}

/** A commit that became durable: its namespace, its newest JID and the `client` id of the device that made it. */
export interface CommitNotice {
  namespace: string
  jid: number
  client?: string
}

/**
 * Commits made through other server instances sharing the storage, to wake long-polls there. A notice may be
 * lost or repeated: the journal stays the truth, a missed notice costs latency, never a change.
 */
export interface CommitFeed {
  /** Tells the other instances (best effort, after the commit is durable). */
  publish(notice: CommitNotice): Promise<void>
  /**
   * Calls `listener` for each notice published by any instance, and `gap` when notices may have been missed (the
   * feed was cut and is back: anyone waiting should look at the journal again); returns the function that stops it.
   */
  subscribe(listener: (notice: CommitNotice) => void, gap?: () => void): () => void
}

export interface ServerStorage {
  journal: JournalStorage
  chunks: ChunkStorage
  tokens: TokenStorage
  settings: SettingsStorage
  devices: DeviceStorage
  /** Present when several server instances share the storage (PostgreSQL); the embedded LMDB storage has none. */
  feed?: CommitFeed
  close(): Promise<void>
}
