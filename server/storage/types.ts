/**
 * What the routes need from storage, as interfaces: the journal, the chunks and the tokens. The embedded
 * implementation is LMDB in the data folder (lmdb/); another backend implements these and nothing else changes.
 */
import type {JournalEntry} from '../../src/journal/journal-entry.js'
import type {StoredManifest} from '../../src/manifest/manifest.js'
import type {PackChunk} from '../../src/protocol/wire-pack/pack-chunk.js'
import type {FsckReport} from '../../src/store/fsck.js'

/** An entry as stored: a file or symlink always has its manifest, a file of many chunks as a tree. */
export interface StoredEntry extends Omit<JournalEntry, 'manifest' | 'tree' | 'edits'> {
  manifest?: StoredManifest
  /** On a move: the old path's head before it (the version whose chunks the move carries over). */
  fromPrev?: number
}

export type NewEntry = Omit<StoredEntry, 'jid'>

/** One namespace's journal inside a write transaction: reads see the writes made before them in it. */
export interface JournalView {
  /** The newest entry that touched `path` (its head), or undefined for a path never seen. */
  head(path: string): StoredEntry | undefined
  /** The head of the first present path under `path/` (in byte order) other than `except`, if any. */
  presentUnder(path: string, except?: string): StoredEntry | undefined
  /** Writes the next entry and makes it the head of its path (and of `from`); returns its JID. */
  append(entry: NewEntry): number
}

/** Reads see only durable entries: nothing is shown that a crash could take back. */
export interface JournalStorage {
  /** The newest durable JID of the namespace, 0 when it has none. */
  head(namespace: string): number
  entry(namespace: string, jid: number): StoredEntry | undefined
  /** Entries with JIDs after `since`, in order, at most `limit`. */
  range(namespace: string, since: number, limit: number): StoredEntry[]
  /** Entries that touched `path` (moves away included) with JIDs below `before`, newest first, at most `limit`. */
  pathLog(namespace: string, path: string, before: number, limit: number): StoredEntry[]
  /** The heads of present paths after `after` in byte order, at most `limit`, as of one JID. */
  heads(namespace: string, after: string | undefined, limit: number): {heads: StoredEntry[]; jid: number; more: boolean}
  /** Runs `work` in one transaction (serialised with every other) and resolves once its writes are durable. */
  transact<T>(namespace: string, work: (view: JournalView) => T): Promise<T>
}

/** One namespace's chunks. A chunk counts as present to a commit only once `flush` has made it durable. */
export interface NamespaceChunks {
  /** The ids among `ids` not stored, in order, without repeats. */
  missing(ids: Iterable<string>): string[]
  /** A stored chunk's length, or undefined when absent. */
  length(id: string): number | undefined
  /** Stores verified chunks; returns how many were new. Durable after `flush`. */
  add(chunks: Iterable<PackChunk>): Promise<number>
  /** Durable; after a failed write the store recovers (the chunks not yet durable are dropped) and this throws. */
  flush(): Promise<void>
  /** Moves on each such recovery: a caller that saw chunks present before one must not count on them. */
  readonly recoveries: number
  read(id: string): Promise<Buffer>
  check(): Promise<FsckReport>
}

export interface ChunkStorage {
  namespace(name: string): Promise<NamespaceChunks>
  close(): Promise<void>
}

export interface TokenGrant {
  namespace: string
  readOnly: boolean
}

export interface TokenStorage {
  /** Makes a new token for `namespace` (creating the namespace) and returns it; only its hash is kept. */
  create(namespace: string, readOnly: boolean): Promise<string>
  /** Whether a token was there to revoke. */
  revoke(token: string): Promise<boolean>
  lookup(token: string): TokenGrant | undefined
  /** A counter that moves on every revocation, by this process or another sharing the storage. */
  revocations(): number
  namespaces(): string[]
}

export interface ServerStorage {
  journal: JournalStorage
  chunks: ChunkStorage
  tokens: TokenStorage
  close(): Promise<void>
}
