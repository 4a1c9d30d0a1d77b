/**
 * PathRecord <-> what LMDB stores. A stored record is small (stat, JIDs, references): the manifests it names
 * are stored apart (db `state-manifests`), keyed by a hash of their bytes, and read when first used. Loading
 * a folder of 10,000 recipes reads about a tenth of the bytes, and a pass that plans nothing reads no
 * manifest. A content key never changes what it names, so a version decoded long ago still reads its own.
 *
 * Most of the time a path's three versions hold the same manifest. A synced version whose manifest equals the
 * local one (or, for the remote, the base's) is stored as a reference, `same: 'l' | 'b'`, and decoded as the
 * very same object.
 *
 * Records of pre-release versions (before 2026-11-25: manifests inline as `m`, times as nanosecond strings) are
 * refused with E_FORMAT, which says how to rebuild the state.
 */
import {createHash} from 'node:crypto'
import {CorruptDataError, UnknownFormatError} from '../errors/index.js'
import {encodedParts} from '../manifest/manifest-codec.js'
import {type Manifest, manifestsEqual} from '../manifest/manifest.js'
import type {LocalVersion, PathRecord, SyncedVersion} from './path-record.js'

interface StoredSynced {
  j: number
  /** Key of the manifest in `state-manifests`; absent for a deletion, unless `same` names where it is. */
  k?: Buffer
  same?: 'l' | 'b'
  to?: string
  from?: string
}

export interface StoredRecord {
  /** `f`: the local version came from the journal as it is (LocalVersion.fromJournal). */
  l?: {k?: Buffer; s: number; t: number; i: number; c: number; h: number; f?: 1}
  b?: StoredSynced
  r?: StoredSynced
  u?: string
  /** Ignored by a rule of this device (PathRecord.ignored). */
  g?: 1
}

/** Where the manifests named by key are read from (FolderState: manifest-slices.ts). */
export interface ManifestSource {
  read(key: Buffer): Manifest | undefined
}

export interface EncodedRecord {
  stored: StoredRecord
  /**
   * Manifests to store, by key (writing one that is there already changes nothing): encoded only when the key is
   * not stored yet, as a big file's record is saved again and again with one manifest.
   */
  manifests: {key: Buffer; manifest: Manifest}[]
}

/** Bytes of a manifest's key. */
export const KEY_BYTES = 16

/** 128 bits of SHA-256 of the encoded manifest (hashed piece by piece, no copy): the manifests of one folder never collide. */
function manifestKey(manifest: Manifest): Buffer {
  const hash = createHash('sha256')
  for (const part of encodedParts(manifest)) hash.update(part)
  return hash.digest().subarray(0, KEY_BYTES)
}

/** What a pre-release version stored (an inline manifest, a time as a string of nanoseconds): refused, with the way out. */
function refusePreRelease(stored: StoredRecord): void {
  const inline = [stored.l, stored.b, stored.r].some((version) => version !== undefined && 'm' in version)
  if (!inline && typeof stored.l?.t !== 'string') return
  throw new UnknownFormatError(
    "this folder's sync state was written by a pre-release version of sync (before 2026-11-25): move .sync aside, run `sync init` here with the same server, namespace and token, then `sync once` (your files stay; any that differ from the server's are kept as conflict copies)",
  )
}

type Earlier = {l?: Manifest; b?: Manifest}

function sameAs(manifest: Manifest, earlier: Earlier): 'l' | 'b' | undefined {
  if (earlier.l && (earlier.l === manifest || manifestsEqual(earlier.l, manifest))) return 'l'
  if (earlier.b && (earlier.b === manifest || manifestsEqual(earlier.b, manifest))) return 'b'
  return undefined
}

export function encodeRecord(record: PathRecord): EncodedRecord {
  const stored: StoredRecord = {}
  const manifests: EncodedRecord['manifests'] = []
  const keyOf = (manifest: Manifest): Buffer => {
    const key = manifestKey(manifest)
    manifests.push({key, manifest})
    return key
  }
  const synced = (version: SyncedVersion, earlier: Earlier): StoredSynced => {
    const {manifest} = version
    const same = manifest ? sameAs(manifest, earlier) : undefined
    return {
      j: version.jid,
      ...(same ? {same} : manifest ? {k: keyOf(manifest)} : {}),
      ...(version.movedTo ? {to: version.movedTo} : {}),
      ...(version.movedFrom ? {from: version.movedFrom} : {}),
    }
  }
  const earlier: Earlier = {l: record.local?.manifest}
  if (record.local) {
    const {manifest, size, mtimeMs, ino, ctimeMs, hashedAtMs, fromJournal} = record.local
    stored.l = {k: keyOf(manifest), s: size, t: mtimeMs, i: ino, c: ctimeMs, h: hashedAtMs, ...(fromJournal ? {f: 1} : {})}
  }
  if (record.base) stored.b = synced(record.base, earlier)
  earlier.b = record.base?.manifest
  if (record.remote) stored.r = synced(record.remote, earlier)
  if (record.unreadable) stored.u = record.unreadable
  if (record.ignored) stored.g = 1
  return {stored, manifests}
}

const LOAD = Symbol('load manifest')
const LOADED = Symbol('manifest')
type Lazy = {[LOAD]: () => Manifest; [LOADED]?: Manifest}

/**
 * One accessor shared by every lazy version: no closures per object, and objects built alike share their
 * hidden class (10,000 records cost a few MB, not the 15 MB of per-object accessors). Still an own,
 * enumerable property, so `{...version}` copies the manifest.
 */
const lazyAccessor: PropertyDescriptor = {
  get(this: Lazy) {
    return (this[LOADED] ??= this[LOAD]())
  },
  set(this: Lazy, manifest: Manifest) {
    this[LOADED] = manifest
  },
  enumerable: true,
  configurable: true,
}

/** Gives `target` a `manifest` read by `load` on first use (then kept; assigning replaces it). */
function lazyManifest(target: object, load: () => Manifest): void {
  Object.defineProperty(target, LOAD, {value: load})
  Object.defineProperty(target, LOADED, {value: undefined, writable: true})
  Object.defineProperty(target, 'manifest', lazyAccessor)
}

/** A loader for the manifest a stored version names, or undefined when it names none (a deletion). */
type Loader = (() => Manifest) | undefined

function loaderFor(stored: {k?: Buffer}, source: ManifestSource): Loader {
  const {k} = stored
  if (!k) return undefined
  return () => {
    const manifest = source.read(k)
    if (!manifest) throw new CorruptDataError(`path record: manifest ${k.toString('hex')} is not stored`)
    return manifest
  }
}

export function decodeRecord(stored: StoredRecord, source: ManifestSource): PathRecord {
  refusePreRelease(stored)
  const record: PathRecord = {}
  const loaders: {l?: Loader; b?: Loader} = {}
  if (stored.l) {
    const {s, t, i, c, h, f} = stored.l
    const local = {size: s, mtimeMs: t, ino: i, ctimeMs: c, hashedAtMs: h, ...(f === 1 ? {fromJournal: true} : {})} as LocalVersion
    const load = loaderFor(stored.l, source)
    if (!load) throw new CorruptDataError('path record: a local version without a manifest')
    lazyManifest(local, load)
    record.local = local
    loaders.l = () => local.manifest
  }
  const synced = (version: StoredSynced): SyncedVersion => {
    // A reference to nothing must not pass for a deletion.
    const load = version.same ? loaders[version.same] : loaderFor(version, source)
    if (version.same && !load) throw new CorruptDataError(`path record: refers to an absent '${version.same}' manifest`)
    const decoded: SyncedVersion = {jid: version.j, ...(version.to ? {movedTo: version.to} : {}), ...(version.from ? {movedFrom: version.from} : {})}
    if (load) lazyManifest(decoded, load)
    return decoded
  }
  if (stored.b) {
    const base = synced(stored.b)
    record.base = base
    if ('manifest' in base) loaders.b = () => base.manifest!
  }
  if (stored.r) record.remote = synced(stored.r)
  if (stored.u) record.unreadable = stored.u
  if (stored.g) record.ignored = true
  return record
}

/**
 * Whether a stored record plans to nothing, read from its shape alone (no manifest): an ignored path; local,
 * base and remote hold one manifest at one JID; or base and remote are one deletion and there is no local file.
 */
export function isSettled(stored: StoredRecord): boolean {
  const {l, b, r, u, g} = stored
  if (g) return true
  if (u || !b || !r || b.j !== r.j) return false
  if (l) return b.same === 'l' && (r.same === 'l' || r.same === 'b')
  return !b.k && !b.same && !r.k && !r.same
}

/** A record with no version and nothing unreadable says nothing worth keeping (an ignored mark alone included). */
export function isEmptyRecord(record: PathRecord): boolean {
  return !record.local && !record.base && !record.remote && !record.unreadable
}
