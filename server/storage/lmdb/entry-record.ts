/** A journal entry as the LMDB journal keeps it (msgpack, short field names, the manifest in its binary codec). */
import {decodeStoredManifest, encodeManifest} from '#src/manifest/manifest-codec.js'
import type {NewEntry, StoredEntry} from '../types.js'

export interface EntryRecord {
  p: string
  v: number | null
  k: StoredEntry['kind']
  m?: Uint8Array
  f?: string
  fp?: number
  d: string
  t: number
}

export function toRecord(entry: NewEntry): EntryRecord {
  const record: EntryRecord = {p: entry.path, v: entry.prev, k: entry.kind, d: entry.device, t: entry.time}
  if (entry.manifest) record.m = encodeManifest(entry.manifest)
  if (entry.from !== undefined) {
    record.f = entry.from
    if (entry.fromPrev !== undefined) record.fp = entry.fromPrev
  }
  return record
}

export function fromRecord(jid: number, record: EntryRecord): StoredEntry {
  const entry: StoredEntry = {jid, path: record.p, prev: record.v, kind: record.k, device: record.d, time: record.t}
  if (record.m) {
    entry.manifest = decodeStoredManifest(record.m)
    if (entry.manifest.kind !== 'symlink') {
      entry.size = entry.manifest.size
      entry.exec = entry.manifest.exec
    }
  }
  if (record.f !== undefined) {
    entry.from = record.f
    if (record.fp !== undefined) entry.fromPrev = record.fp
  }
  return entry
}
