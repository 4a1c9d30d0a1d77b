/**
 * A journal entry as a row of `entries`: the LMDB backend's record (lmdb/entry-record.ts), one column a field, so
 * that both backends encode manifests (IdLists, trees) with the same codec and read back the same entries.
 */
import type {EntryRecord} from '../lmdb/entry-record.js'

export interface EntryRow {
  jid: string
  path: string
  prev: string | null
  kind: EntryRecord['k']
  manifest: Buffer | null
  from_path: string | null
  from_prev: string | null
  device: string
  time: string
  pruned: boolean
  size: string | null
  exec: boolean | null
}

/** The columns of `entries` a read selects, prefixed by the table's alias. */
export const ENTRY_COLUMNS = (alias: string) =>
  ['jid', 'path', 'prev', 'kind', 'manifest', 'from_path', 'from_prev', 'device', 'time', 'pruned', 'size', 'exec'].map((c) => `${alias}.${c}`).join(', ')

export function recordOfRow(row: EntryRow): EntryRecord {
  const record: EntryRecord = {p: row.path, v: row.prev === null ? null : Number(row.prev), k: row.kind, d: row.device, t: Number(row.time)}
  if (row.manifest !== null) record.m = row.manifest
  if (row.from_path !== null) record.f = row.from_path
  if (row.from_prev !== null) record.fp = Number(row.from_prev)
  if (row.pruned) record.x = 1
  if (row.size !== null) record.s = Number(row.size)
  if (row.exec) record.e = 1
  return record
}

/** The values of an insert into `entries` after (namespace, jid), in ENTRY_COLUMNS' order less jid. */
export function rowValues(record: EntryRecord): unknown[] {
  return [
    record.p,
    record.v,
    record.k,
    record.m === undefined ? null : Buffer.from(record.m.buffer, record.m.byteOffset, record.m.byteLength),
    record.f ?? null,
    record.fp ?? null,
    record.d,
    record.t,
    record.x === 1,
    record.s ?? null,
    record.e === 1 ? true : null,
  ]
}
