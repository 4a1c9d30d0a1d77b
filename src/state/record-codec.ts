/**
 * PathRecord <-> the plain object LMDB stores (manifests in their binary form, manifest-codec.ts).
 *
 * Most of the time a path's three versions hold the same manifest. A synced version whose manifest equals the
 * local one (or, for the remote, the base's) is stored as a reference, `same: 'l' | 'b'`, and decoded as the
 * very same object: a folder of 10,000 files loads a third of the bytes, and holds one manifest per file.
 */
import {CorruptDataError} from '../errors/index.js'
import {decodeManifest, encodeManifest} from '../manifest/manifest-codec.js'
import {type Manifest, manifestsEqual} from '../manifest/manifest.js'
import {msFromNs} from '../util/ms-from-ns.js'
import type {LocalVersion, PathRecord, SyncedVersion} from './path-record.js'

interface StoredSynced {
  j: number
  /** The manifest; absent for a deletion, unless `same` names where it is. */
  m?: Buffer
  same?: 'l' | 'b'
  to?: string
  from?: string
}

export interface StoredRecord {
  /** Times and inode are numbers; folders written before 2026-11-25 hold decimal nanosecond strings. */
  l?: {m: Buffer; s: number; t: number | string; i: number | string; c: number | string; h: number | string}
  b?: StoredSynced
  r?: StoredSynced
  u?: string
}

type Earlier = {l?: Manifest; b?: Manifest}

const ms = (time: number | string): number => (typeof time === 'number' ? time : msFromNs(time))

function encodeSynced(version: SyncedVersion, earlier: Earlier): StoredSynced {
  const {manifest} = version
  const same = !manifest ? undefined : sameAs(manifest, earlier)
  return {
    j: version.jid,
    ...(same ? {same} : manifest ? {m: encodeManifest(manifest)} : {}),
    ...(version.movedTo ? {to: version.movedTo} : {}),
    ...(version.movedFrom ? {from: version.movedFrom} : {}),
  }
}

function sameAs(manifest: Manifest, earlier: Earlier): 'l' | 'b' | undefined {
  if (earlier.l && (earlier.l === manifest || manifestsEqual(earlier.l, manifest))) return 'l'
  if (earlier.b && (earlier.b === manifest || manifestsEqual(earlier.b, manifest))) return 'b'
  return undefined
}

function decodeSynced(stored: StoredSynced, earlier: Earlier): SyncedVersion {
  const manifest = stored.same ? earlier[stored.same] : stored.m ? decodeManifest(stored.m) : undefined
  // A reference to nothing must not pass for a deletion.
  if (stored.same && !manifest) throw new CorruptDataError(`path record: refers to an absent '${stored.same}' manifest`)
  return {
    jid: stored.j,
    ...(manifest ? {manifest} : {}),
    ...(stored.to ? {movedTo: stored.to} : {}),
    ...(stored.from ? {movedFrom: stored.from} : {}),
  }
}

export function encodeRecord(record: PathRecord): StoredRecord {
  const out: StoredRecord = {}
  const earlier: Earlier = {l: record.local?.manifest}
  if (record.local) {
    const {manifest, size, mtimeMs, ino, ctimeMs, hashedAtMs} = record.local
    out.l = {m: encodeManifest(manifest), s: size, t: mtimeMs, i: ino, c: ctimeMs, h: hashedAtMs}
  }
  if (record.base) out.b = encodeSynced(record.base, earlier)
  earlier.b = record.base?.manifest
  if (record.remote) out.r = encodeSynced(record.remote, earlier)
  if (record.unreadable) out.u = record.unreadable
  return out
}

export function decodeRecord(stored: StoredRecord): PathRecord {
  const record: PathRecord = {}
  const earlier: Earlier = {}
  if (stored.l) {
    const {m, s, t, i, c, h} = stored.l
    const local: LocalVersion = {manifest: decodeManifest(m), size: s, mtimeMs: ms(t), ino: Number(i), ctimeMs: ms(c), hashedAtMs: ms(h)}
    record.local = local
    earlier.l = local.manifest
  }
  if (stored.b) record.base = decodeSynced(stored.b, earlier)
  earlier.b = record.base?.manifest
  if (stored.r) record.remote = decodeSynced(stored.r, earlier)
  if (stored.u) record.unreadable = stored.u
  return record
}

export function isEmptyRecord(record: PathRecord): boolean {
  return !record.local && !record.base && !record.remote && !record.unreadable
}
