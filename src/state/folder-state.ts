/**
 * The sync state of a folder, in its LMDB environment: one PathRecord per path (db `state-paths`) and a few
 * values (db `state-meta`: the journal cursor, the last error). All records are held in memory while the
 * folder is open (a few hundred bytes per file) and written back in batched, durable transactions.
 */
import type {Database, RootDatabase} from 'lmdb'
import {durableTransaction} from '../db/durable.js'
import type {PathRecord} from './path-record.js'
import {decodeRecord, encodeRecord, isEmptyRecord, type StoredRecord} from './record-codec.js'

export interface LastError {
  message: string
  code?: string
  time: number
}

export class FolderState {
  private readonly records = new Map<string, PathRecord>()
  private readonly dirty = new Set<string>()
  /** Paths whose record changed since `takeTouched`; every path until it is first called. */
  private touched: Set<string> | 'all' = 'all'
  private readonly paths: Database<StoredRecord, string>
  private readonly meta: Database<unknown, string>
  private cursorValue: number
  private cursorDirty = false

  private constructor(private readonly env: RootDatabase) {
    this.paths = env.openDB<StoredRecord, string>({name: 'state-paths'})
    this.meta = env.openDB<unknown, string>({name: 'state-meta'})
    for (const {key, value} of this.paths.getRange()) this.records.set(key, decodeRecord(value))
    this.cursorValue = (this.meta.get('cursor') as number | undefined) ?? 0
  }

  static load(env: RootDatabase): FolderState {
    return new FolderState(env)
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
    if (this.touched !== 'all') this.touched.add(path)
  }

  /** Changes part of a path's record. */
  update(path: string, change: Partial<PathRecord>): PathRecord {
    const record = {...this.records.get(path), ...change}
    for (const key of Object.keys(change) as (keyof PathRecord)[]) if (change[key] === undefined) delete record[key]
    this.set(path, record)
    return record
  }

  /** The paths whose record changed since the last call ('all' the first time), for incremental planning. */
  takeTouched(): Set<string> | 'all' {
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

  get hasPendingWrites(): boolean {
    return this.dirty.size > 0 || this.cursorDirty
  }

  /** Writes every changed record and the cursor in one durable transaction. */
  async save(): Promise<void> {
    if (!this.hasPendingWrites) return
    const changed = [...this.dirty]
    const cursor = this.cursorDirty ? this.cursorValue : undefined
    this.dirty.clear()
    this.cursorDirty = false
    await durableTransaction(this.env, () => {
      if (cursor !== undefined) this.meta.putSync('cursor', cursor)
      for (const path of changed) {
        const record = this.records.get(path)
        if (record) this.paths.putSync(path, encodeRecord(record))
        else this.paths.removeSync(path)
      }
    })
  }

  lastError(): LastError | undefined {
    return this.meta.get('lastError') as LastError | undefined
  }

  async setLastError(error: LastError | undefined): Promise<void> {
    if (error) await this.meta.put('lastError', error)
    else await this.meta.remove('lastError')
    await this.env.flushed
  }
}
