/**
 * The sync state of a folder, in its LMDB environment: one PathRecord per path (db `state-paths`), the
 * manifests they name (db `state-manifests`, read on first use: record-codec.ts) and a few values (db
 * `state-meta`: the journal cursor, the last error). All records are held in memory while the folder is open
 * (about a hundred bytes per file, plus the manifests used) and written back in batched, durable transactions.
 */
import type {Database, RootDatabase} from 'lmdb'
import {durableTransaction} from '../db/durable.js'
import {envPath} from '../db/open-env.js'
import {checkFormat, FORMATS} from '../db/format-version.js'
import type {LocalVersion, PathRecord} from './path-record.js'
import {decodeRecord, encodeRecord, type EncodedRecord, isEmptyRecord, isSettled, KEY_BYTES, type StoredRecord} from './record-codec.js'
import {isSliced, ownerOf, readManifest, sliceHead, writeSlices} from './manifest-slices.js'
import {encodeManifest} from '../manifest/manifest-codec.js'
import {ID_BYTES} from '../chunk/chunk-id.js'
import type {WatchLimit} from '../sync/watch-limit.js'
import {inScope, type KeptVersion, KeptVersions, type NewKeptVersion, type ReplacedBy} from './kept-versions.js'

/** The state's format while it keeps no manifest in slices (format-version.ts). */
const UNSLICED_FORMAT = 1
/** About what a path's record takes in the database, for the room a write asks for (room-for-write.ts). */
const RECORD_BYTES = 256

export interface LastError {
  message: string
  code?: string
  time: number
}

/** A daemon's watcher hit the OS's limit: what it said, and how often the daemon rescans instead. */
export interface WatchLimitNote extends WatchLimit {
  rescanMs: number
  time: number
}

/**
 * A path that cannot be synced, and why: `here`, a local name the protocol refuses (too long, a control
 * character); `server`, a journal entry this device refused (a path no client may write); `disk`, a remote
 * version this disk cannot hold where it should go (a link or a file where its folder should be, a name too
 * long here, no space); `up`, a local version the server did not take (too large for a request, no room for it
 * on the server).
 */
export interface BlockedPath {
  path: string
  reason: string
  side: 'here' | 'server' | 'disk' | 'up'
}

/**
 * A change held back on purpose: `read-only`, a local change the token cannot send; `mass-delete`, one of more
 * deletions in one pass than the folder's delete guard lets through; `folder-empty`, a deletion from a folder
 * that looks empty (an unmounted disk). `from` names the device of a held incoming deletion when known.
 */
export interface HeldChange {
  type: 'upload' | 'delete-remote' | 'move-remote' | 'delete-local'
  path: string
  why: 'read-only' | 'mass-delete' | 'folder-empty'
  from?: string
  /** For a `mass-delete`: the deletions of its direction carried out in the guard's window, counted with it. */
  lately?: {count: number; minutes: number}
}

/**
 * Deletions carried out in one direction within a minute, kept for the delete guard's window (holds.ts). Saved
 * with the records, so that `sync once` runs share the window as a daemon's passes do.
 */
export interface RecentDeletions {
  /** When the minute's first of them was carried out (ms since the epoch). */
  time: number
  direction: 'outgoing' | 'incoming'
  count: number
}

type ListKey = 'blocked' | 'held' | 'deletions'

export interface StateOptions {
  /** Runs before any change is written (SyncFolder removes the clean snapshot there). */
  beforeSave?: () => void
  /**
   * The store of the chunks the records name: flushed before any record is written, so that a crash never
   * leaves a record naming chunks that are not durable (restic's order: data, then what names it).
   */
  chunks?: {flush(): Promise<void>}
  /** Whether `keep` keeps anything (the folder's keep-days is not 0). */
  keepsVersions?: boolean
}

interface StateDatabases {
  paths: Database<StoredRecord, string>
  manifests: Database<Buffer, Buffer>
  meta: Database<unknown, string>
}

export class FolderState {
  private readonly dirty = new Set<string>()
  private cursorDirty = false
  /** Lists kept in `state-meta` and saved with the records: what the last pass could not sync, or held. */
  private readonly lists = new Map<ListKey, {value: readonly unknown[]; dirty: boolean}>()
  /** null: read, and none. */
  private readOnlyValue?: string | null
  private readonly paths: Database<StoredRecord, string>
  private readonly manifests: Database<Buffer, Buffer>
  private readonly meta: Database<unknown, string>
  private readonly keptVersions: KeptVersions
  /** Versions to keep (kept-versions.ts), written with the records that say what replaced them. */
  private pendingKept: NewKeptVersion[] = []

  private constructor(
    private readonly env: RootDatabase,
    databases: StateDatabases,
    private readonly records: Map<string, PathRecord>,
    /** Paths whose record changed since `takeTouched`, and at first those whose stored record is not settled. */
    private touched: Set<string>,
    /**
     * Set when manifests no record names are many: they go at the next save, except those named when the state
     * was loaded (a version decoded then may still read its manifest later, after its record changed).
     */
    private namedAtLoad: Set<string> | undefined,
    private cursorValue: number,
    private readonly options: StateOptions,
  ) {
    this.paths = databases.paths
    this.manifests = databases.manifests
    this.meta = databases.meta
    this.keptVersions = new KeptVersions(env)
  }

  /** Reads the state from `env`. */
  static load(env: RootDatabase, options: StateOptions = {}): FolderState {
    const databases: StateDatabases = {
      paths: env.openDB<StoredRecord, string>({name: 'state-paths'}),
      meta: env.openDB<unknown, string>({name: 'state-meta'}),
      manifests: env.openDB<Buffer, Buffer>({name: 'state-manifests', encoding: 'binary', keyEncoding: 'binary'}),
    }
    checkFormat(`the sync state in ${envPath(env)}`, databases.meta.get('format'), FORMATS.state)
    const records = new Map<string, PathRecord>()
    const touched = new Set<string>()
    let references = 0
    const manifests = {read: (key: Buffer) => readManifest(databases.manifests, key)}
    for (const {key, value} of databases.paths.getRange()) {
      records.set(key, decodeRecord(value, manifests))
      if (!isSettled(value)) touched.add(key)
      references += (value.l?.k ? 1 : 0) + (value.b?.k ? 1 : 0) + (value.r?.k ? 1 : 0)
    }
    const manifestCount = (databases.manifests.getStats() as {entryCount: number}).entryCount
    const namedAtLoad = manifestCount > 2 * references + 256 ? namedManifests(databases.paths) : undefined
    const cursor = (databases.meta.get('cursor') as number | undefined) ?? 0
    return new FolderState(env, databases, records, touched, namedAtLoad, cursor, options)
  }

  /** The JID up to which the remote tree is complete. */
  get cursor(): number {
    return this.cursorValue
  }

  set cursor(jid: number) {
    this.cursorValue = jid
    this.cursorDirty = true
  }

  get(path: string): PathRecord | undefined {
    return this.records.get(path)
  }

  /** Replaces a path's record (pending until `save`). */
  set(path: string, record: PathRecord): void {
    if (isEmptyRecord(record)) this.records.delete(path)
    else this.records.set(path, record)
    this.dirty.add(path)
    this.touched.add(path)
  }

  /** Changes part of a path's record. */
  update(path: string, change: Partial<PathRecord>): PathRecord {
    const record = {...this.records.get(path), ...change}
    for (const key of Object.keys(change) as (keyof PathRecord)[]) if (change[key] === undefined) delete record[key]
    this.set(path, record)
    return record
  }

  /**
   * For incremental planning: the paths whose record changed since the last call, and, the first time, those
   * whose stored record was not settled (record-codec.ts); every other path plans to nothing.
   */
  takeTouched(): Set<string> {
    const touched = this.touched
    this.touched = new Set()
    return touched
  }

  entries(): IterableIterator<[string, PathRecord]> {
    return this.records.entries()
  }

  get size(): number {
    return this.records.size
  }

  /** The paths that could not be synced at the last pass (saved with the records). */
  get blocked(): readonly BlockedPath[] {
    return this.list<BlockedPath>('blocked')
  }

  set blocked(list: readonly BlockedPath[]) {
    this.lists.set('blocked', {value: [...list], dirty: true})
  }

  /** The changes the last pass held back on purpose (saved with the records). */
  get held(): readonly HeldChange[] {
    return this.list<HeldChange>('held')
  }

  set held(list: readonly HeldChange[]) {
    this.lists.set('held', {value: [...list], dirty: true})
  }

  /** Deletions carried out lately, for the delete guard's window (saved with the records). */
  get recentDeletions(): readonly RecentDeletions[] {
    return this.list<RecentDeletions>('deletions')
  }

  set recentDeletions(list: readonly RecentDeletions[]) {
    this.lists.set('deletions', {value: [...list], dirty: true})
  }

  private list<T>(key: ListKey): readonly T[] {
    let entry = this.lists.get(key)
    if (!entry) this.lists.set(key, (entry = {value: (this.meta.get(key) as T[] | undefined) ?? [], dirty: false}))
    return entry.value as readonly T[]
  }

  /**
   * Keeps `local`, a version of `path` made on this device, which a remote change is replacing or deleting
   * (kept-versions.ts); saved with the records. A version that came from the journal as it is, or a link, is not kept.
   */
  keep(path: string, local: LocalVersion | undefined, replacedBy: ReplacedBy, keptAt = Date.now()): void {
    if (!this.options.keepsVersions || !local || local.fromJournal || local.manifest.kind !== 'file') return
    this.pendingKept.push({path, keptAt, replacedBy, manifest: local.manifest})
  }

  /** The versions kept on this device (saved and pending, the latter without a number yet), oldest first; in `scope` (inScope). */
  keptList(scope?: string): KeptVersion[] {
    const pending = this.pendingKept.filter((kept) => inScope(kept.path, scope))
    return [...this.keptVersions.list(scope), ...pending.map((kept) => ({...kept, id: 0}))]
  }

  /** The paths whose replaced version is to be kept with the next save. */
  keptPending(): ReadonlySet<string> {
    return new Set(this.pendingKept.map((kept) => kept.path))
  }

  /** How many versions are kept on this device (saved and pending). */
  get keptCount(): number {
    return this.keptVersions.count + this.pendingKept.length
  }

  keptVersion(id: number): KeptVersion | undefined {
    return this.keptVersions.get(id)
  }

  /** Forgets the versions kept before `before` (ms): their chunks go at the garbage collection. Returns how many. */
  async forgetKeptBefore(before: number): Promise<number> {
    if (!this.keptVersions.hasOlder(before)) return 0
    return durableTransaction(this.env, () => this.keptVersions.removeOlderSync(before))
  }

  get hasPendingWrites(): boolean {
    return (
      this.pendingKept.length > 0 || this.dirty.size > 0 || this.cursorDirty || [...this.lists.values()].some((l) => l.dirty) || this.namedAtLoad !== undefined
    )
  }

  /**
   * While set, `save` writes nothing and the changes wait in memory for the first save after. A pass (Syncer)
   * saves once, at its end: what it sends or writes is not held up by its bookkeeping, and what a crash takes
   * back is found again from the disk and the journal.
   */
  savesDeferred = false

  /** Writes every changed record and the cursor in one durable transaction. */
  async save(): Promise<void> {
    if (!this.hasPendingWrites || this.savesDeferred) return
    this.options.beforeSave?.()
    await this.options.chunks?.flush()
    const changed = [...this.dirty]
    const cursor = this.cursorDirty ? this.cursorValue : undefined
    const lists = [...this.lists].filter(([, l]) => l.dirty).map(([key, l]) => ({key, value: l.value}))
    for (const list of this.lists.values()) list.dirty = false
    const spare = this.namedAtLoad
    const kept = this.pendingKept
    this.pendingKept = []
    this.dirty.clear()
    this.cursorDirty = false
    this.namedAtLoad = undefined
    try {
      await this.write(changed, cursor, lists, spare, kept)
    } catch (error) {
      // Nothing of it was written: it is all still to be saved.
      this.pendingKept = [...kept, ...this.pendingKept]
      for (const path of changed) this.dirty.add(path)
      if (cursor !== undefined) this.cursorDirty = true
      for (const {key} of lists) this.lists.get(key)!.dirty = true
      this.namedAtLoad ??= spare
      throw error
    }
  }

  private async write(
    changed: readonly string[],
    cursor: number | undefined,
    lists: {key: ListKey; value: readonly unknown[]}[],
    spare: Set<string> | undefined,
    kept: readonly NewKeptVersion[],
  ): Promise<void> {
    const records = changed.map((path): [string, EncodedRecord | undefined] => {
      const record = this.records.get(path)
      return [path, record && encodeRecord(record)]
    })
    const named = records.flatMap(([, encoded]) => encoded?.manifests ?? [])
    // Big manifests new to the state: their slices first, a transaction each (manifest-slices.ts).
    const sliced = new Set<string>()
    for (const {key, manifest} of named) {
      const hex = key.toString('hex')
      if (!isSliced(manifest) || sliced.has(hex) || this.manifests.doesExist(key)) continue
      await writeSlices(this.env, this.manifests, key, manifest)
      sliced.add(hex)
    }
    const bytes =
      records.length * RECORD_BYTES +
      named.reduce((sum, {key, manifest}) => sum + (manifest.kind === 'file' && !sliced.has(key.toString('hex')) ? manifest.ids.length * ID_BYTES : 0), 0) +
      kept.reduce((sum, {manifest}) => sum + RECORD_BYTES + manifest.ids.length * ID_BYTES, 0)
    await durableTransaction(
      this.env,
      () => {
        // Format 2 only once a manifest is kept in slices: until then an older sync still reads the state.
        const format = this.meta.get('format') as number | undefined
        if (format === undefined || (sliced.size > 0 && format < FORMATS.state)) this.meta.putSync('format', sliced.size > 0 ? FORMATS.state : UNSLICED_FORMAT)
        if (cursor !== undefined) this.meta.putSync('cursor', cursor)
        for (const {key, value} of lists) {
          if (value.length === 0) this.meta.removeSync(key)
          else this.meta.putSync(key, value)
        }
        // Keys are content hashes: a manifest already stored (a big file's, saved again with a new JID) is neither
        // encoded nor written again, which cost a copy and as many bytes of LMDB dirty pages (21 MB at 1 GB of text).
        // Looked for here, in the transaction: one whose slices were not written above (it was stored, then dropped
        // meanwhile) goes whole.
        for (const {key, manifest} of named)
          if (!this.manifests.doesExist(key)) this.manifests.putSync(key, sliced.has(key.toString('hex')) ? sliceHead(manifest) : encodeManifest(manifest))
        for (const [path, encoded] of records) {
          if (encoded) this.paths.putSync(path, encoded.stored)
          else this.paths.removeSync(path)
        }
        if (spare) this.dropUnnamedManifests(spare)
        this.keptVersions.putSync(kept)
      },
      bytes,
    )
  }

  /** Deletes the manifests no stored record names, except `spare`. */
  private dropUnnamedManifests(spare: Set<string>): void {
    const named = namedManifests(this.paths)
    for (const key of this.manifests.getKeys()) {
      // A slice goes with the manifest it is part of.
      const hex = ownerOf(key, KEY_BYTES).toString('hex')
      if (!named.has(hex) && !spare.has(hex)) this.manifests.removeSync(key)
    }
  }

  /** The access (JournalClient.accessKey) the server said is read-only; changes made here are then kept here. */
  get readOnlyAccess(): string | undefined {
    if (this.readOnlyValue === undefined) this.readOnlyValue = (this.meta.get('readOnly') as string | undefined) ?? null
    return this.readOnlyValue ?? undefined
  }

  async setReadOnlyAccess(access: string | undefined): Promise<void> {
    this.readOnlyValue = access ?? null
    await this.setMeta('readOnly', access)
  }

  /** Set by a running daemon whose watcher hit the OS's limit (and the rescan interval it fell back to). */
  watchLimit(): WatchLimitNote | undefined {
    return this.meta.get('watchLimit') as WatchLimitNote | undefined
  }

  async setWatchLimit(note: WatchLimitNote | undefined): Promise<void> {
    if (note || this.meta.get('watchLimit') !== undefined) await this.setMeta('watchLimit', note)
  }

  lastError(): LastError | undefined {
    return this.meta.get('lastError') as LastError | undefined
  }

  async setLastError(error: LastError | undefined): Promise<void> {
    if (error || this.meta.get('lastError') !== undefined) await this.setMeta('lastError', error)
  }

  private async setMeta(key: string, value: unknown): Promise<void> {
    await durableTransaction(this.env, () => {
      if (value === undefined) this.meta.removeSync(key)
      else this.meta.putSync(key, value)
    })
  }
}

/** The keys of the manifests the stored records name (inside a transaction, with its own writes). */
function namedManifests(paths: Database<StoredRecord, string>): Set<string> {
  const named = new Set<string>()
  for (const {value} of paths.getRange()) for (const version of [value.l, value.b, value.r]) if (version?.k) named.add(version.k.toString('hex'))
  return named
}
