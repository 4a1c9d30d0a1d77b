/**
 * A journal entry as the LMDB journal keeps it (msgpack, short field names, the manifest in its binary codec).
 * A pruned entry (retention) has no `m`, `x: 1`, and a file's size and exec bit in `s` and `e`.
 */
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
  x?: 1
  s?: number
  e?: 1
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
  if (record.x === 1) {
    entry.pruned = true
    if (record.s !== undefined) {
      entry.size = record.s
      entry.exec = record.e === 1
    }
  }
  if (record.f !== undefined) {
    entry.from = record.f
    if (record.fp !== undefined) entry.fromPrev = record.fp
  }
  return entry
}

/** The record of an entry whose manifest is pruned: its size and exec bit stay (a file's), its ids go. */
export function prunedRecord(record: EntryRecord): EntryRecord {
  const {m: _dropped, ...rest} = record
  const pruned: EntryRecord = {...rest, x: 1}
  const entry = fromRecord(0, record)
  if (entry.size !== undefined) pruned.s = entry.size
  if (entry.exec) pruned.e = 1
  return pruned
}
