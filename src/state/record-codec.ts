/** PathRecord <-> the plain object LMDB stores (manifests in their binary form, manifest-codec.ts). */
import {decodeManifest, encodeManifest} from '../manifest/manifest-codec.js'
import type {LocalVersion, PathRecord, SyncedVersion} from './path-record.js'

interface StoredSynced {
  j: number
  m?: Buffer
  to?: string
  from?: string
}

export interface StoredRecord {
  l?: {m: Buffer; s: number; t: string; i: string; c: string; h: string}
  b?: StoredSynced
  r?: StoredSynced
  u?: string
}

function encodeSynced(version: SyncedVersion): StoredSynced {
  return {
    j: version.jid,
    ...(version.manifest ? {m: encodeManifest(version.manifest)} : {}),
    ...(version.movedTo ? {to: version.movedTo} : {}),
    ...(version.movedFrom ? {from: version.movedFrom} : {}),
  }
}

function decodeSynced(stored: StoredSynced): SyncedVersion {
  return {
    jid: stored.j,
    ...(stored.m ? {manifest: decodeManifest(stored.m)} : {}),
    ...(stored.to ? {movedTo: stored.to} : {}),
    ...(stored.from ? {movedFrom: stored.from} : {}),
  }
}

export function encodeRecord(record: PathRecord): StoredRecord {
  const out: StoredRecord = {}
  if (record.local) {
    const {manifest, size, mtimeNs, ino, ctimeNs, hashedAtNs} = record.local
    out.l = {m: encodeManifest(manifest), s: size, t: mtimeNs, i: ino, c: ctimeNs, h: hashedAtNs}
  }
  if (record.base) out.b = encodeSynced(record.base)
  if (record.remote) out.r = encodeSynced(record.remote)
  if (record.unreadable) out.u = record.unreadable
  return out
}

export function decodeRecord(stored: StoredRecord): PathRecord {
  const record: PathRecord = {}
  if (stored.l) {
    const {m, s, t, i, c, h} = stored.l
    const local: LocalVersion = {manifest: decodeManifest(m), size: s, mtimeNs: t, ino: i, ctimeNs: c, hashedAtNs: h}
    record.local = local
  }
  if (stored.b) record.base = decodeSynced(stored.b)
  if (stored.r) record.remote = decodeSynced(stored.r)
  if (stored.u) record.unreadable = stored.u
  return record
}

export function isEmptyRecord(record: PathRecord): boolean {
  return !record.local && !record.base && !record.remote && !record.unreadable
}
