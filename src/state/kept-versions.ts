/**
 * Versions of files made on this device that a remote change replaced or deleted, kept on the device itself for
 * a while (the folder's `keep-days`): the server's history can bring back any version it still holds, but a
 * compromised server (one that acknowledged a commit and then lost it, or sends a journal of its own making) or
 * a history already pruned cannot. Each device keeps what was written on it, so together the devices keep every
 * version a user wrote; a version that came from the journal as it is (PathRecord's `fromJournal`) is on the
 * device that made it, and is not kept again here, so another writer's stream of versions costs this device
 * nothing. The chunks stay in the folder's store (marked live by its garbage collection, mark-folder.ts).
 *
 * db `kept-versions` in the folder's LMDB environment, keyed by a number that only grows (what `sync kept`
 * shows and `sync restore --kept` takes); a record is written in the transaction that records the change that
 * replaced it (FolderState.save), so it costs a remote edit no fsync of its own. A crash between a file's
 * replacement and that save (the rest of the pass) leaves no record: that version is then in the server's history only.
 */
import type {Database, RootDatabase} from 'lmdb'
import {decodeManifest, encodeManifest} from '../manifest/manifest-codec.js'
import type {FileManifest} from '../manifest/manifest.js'
import {CorruptDataError} from '../errors/index.js'

export const DEFAULT_KEEP_DAYS = 30

/** Why the version is no longer on disk. */
export interface ReplacedBy {
  /** The JID of the remote version that replaced it, or of the deletion. */
  jid: number
  deleted: boolean
}

export interface KeptVersion {
  id: number
  path: string
  /** When it was replaced (ms since the epoch). */
  keptAt: number
  replacedBy: ReplacedBy
  manifest: FileManifest
}

/** A version to keep, before it has its number. */
export type NewKeptVersion = Omit<KeptVersion, 'id'>

interface StoredKept {
  p: string
  t: number
  j: number
  d?: 1
  m: Buffer
}

export class KeptVersions {
  private readonly db: Database<StoredKept, number>

  constructor(env: RootDatabase) {
    this.db = env.openDB<StoredKept, number>({name: 'kept-versions', keyEncoding: 'uint32'})
  }

  /** Writes `versions` with the next numbers; inside a write transaction (FolderState.save). */
  putSync(versions: readonly NewKeptVersion[]): void {
    let id = this.lastId()
    for (const version of versions) this.db.putSync(++id, toStored(version))
  }

  /** Writes versions under the numbers they have (a reset carries them into a new `.sync/`); inside a write transaction. */
  carrySync(versions: readonly KeptVersion[]): void {
    for (const {id, ...version} of versions) this.db.putSync(id, toStored(version))
  }

  /** Every kept version, oldest first; those in `scope` only (inScope). */
  list(scope?: string): KeptVersion[] {
    const kept: KeptVersion[] = []
    for (const {key, value} of this.db.getRange()) if (inScope(value.p, scope)) kept.push(decodeKept(key, value))
    return kept
  }

  /** Whether a version was kept before `before` (ms); nothing decoded. */
  hasOlder(before: number): boolean {
    for (const {value} of this.db.getRange()) if (value.t < before) return true
    return false
  }

  /** How many versions are kept (nothing decoded). */
  get count(): number {
    return this.db.getKeysCount()
  }

  get(id: number): KeptVersion | undefined {
    const stored = this.db.get(id)
    return stored && decodeKept(id, stored)
  }

  /** Removes the versions kept before `before` (ms); inside a write transaction. Returns how many went. */
  removeOlderSync(before: number): number {
    let removed = 0
    for (const {key, value} of this.db.getRange()) {
      if (value.t >= before) continue
      this.db.removeSync(key)
      removed++
    }
    return removed
  }

  private lastId(): number {
    for (const key of this.db.getKeys({reverse: true, limit: 1})) return key
    return 0
  }
}

/** A kept version's path is in `scope`: everything (undefined), one file, or below a folder (ending in '/'). */
export function inScope(path: string, scope: string | undefined): boolean {
  return scope === undefined || (scope.endsWith('/') ? path.startsWith(scope) : path === scope)
}

function toStored({path, keptAt, replacedBy, manifest}: NewKeptVersion): StoredKept {
  return {p: path, t: keptAt, j: replacedBy.jid, m: encodeManifest(manifest), ...(replacedBy.deleted ? {d: 1} : {})}
}

function decodeKept(id: number, stored: StoredKept): KeptVersion {
  const manifest = decodeManifest(stored.m)
  if (manifest.kind !== 'file') throw new CorruptDataError(`kept version ${id}: not a file's manifest`)
  return {id, path: stored.p, keptAt: stored.t, replacedBy: {jid: stored.j, deleted: stored.d === 1}, manifest}
}
