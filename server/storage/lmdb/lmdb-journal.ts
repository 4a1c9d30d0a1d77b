/**
 * The journal in LMDB. Databases: `entries` (ns, jid) -> entry record; `heads` (ns, path) -> JID of the path's
 * newest entry (tombstones and moves away included, for compare-and-set); `touches` (ns, path, jid) for a path's
 * history; `counters` ns -> newest JID.
 *
 * lmdb-js makes a commit visible before it is on disk, so reads are capped at the namespace's durable head,
 * which moves only once a transaction's flush has returned: a reader never sees an entry a crash could take back
 * (and so never builds on a JID that could be reused).
 *
 * A commit's new chunks, when few and small, are written in its transaction (staged-chunks.ts) rather than
 * flushed to the chunk store before it.
 */
import type {Database, RootDatabase} from 'lmdb'
import {durableTransaction} from '#src/db/durable.js'
import {deletesPath} from '#src/journal/journal-entry.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import type {CommitChunks, JournalStorage, JournalView, NewEntry, ReadSet, StoredEntry} from '../types.js'
import {checkedView} from '../checked-view.js'
import {checkSteady, flushSteady} from '../steady-chunks.js'
import type {LmdbChunks} from './lmdb-chunks.js'
import {STAGE_MAX_BYTES, type StagedChunks} from './staged-chunks.js'
import {type EntryRecord, fromRecord, prunedRecord, toRecord} from './entry-record.js'
import {after, entryKey, headKey, jidOfKey, namespaceEnd, namespaceStart, pathOfHeadKey, touchKey} from './keys.js'

const isJid = (jid: number) => Number.isSafeInteger(jid) && jid > 0

export class LmdbJournal implements JournalStorage {
  private readonly entries: Database<EntryRecord, Buffer>
  private readonly headsDb: Database<number, Buffer>
  private readonly touches: Database<number, Buffer>
  private readonly counters: Database<number, string>
  private readonly durable = new Map<string, number>()

  constructor(
    private readonly env: RootDatabase,
    private readonly chunks: LmdbChunks,
    private readonly staged: StagedChunks,
  ) {
    this.entries = env.openDB<EntryRecord, Buffer>({name: 'journal-entries', keyEncoding: 'binary'})
    this.headsDb = env.openDB<number, Buffer>({name: 'journal-heads', keyEncoding: 'binary'})
    this.touches = env.openDB<number, Buffer>({name: 'journal-touches', keyEncoding: 'binary'})
    this.counters = env.openDB<number, string>({name: 'journal-counters'})
  }

  async head(namespace: string): Promise<number> {
    return this.durableHead(namespace)
  }

  private durableHead(namespace: string): number {
    let head = this.durable.get(namespace)
    if (head === undefined) {
      head = this.counters.get(namespace) ?? 0
      this.durable.set(namespace, head)
    }
    return head
  }

  async entry(namespace: string, jid: number): Promise<StoredEntry | undefined> {
    return this.entryAt(namespace, jid)
  }

  async entriesAt(namespace: string, jids: readonly number[]): Promise<StoredEntry[]> {
    return [...new Set(jids)].sort((a, b) => a - b).flatMap((jid) => this.entryAt(namespace, jid) ?? [])
  }

  private entryAt(namespace: string, jid: number): StoredEntry | undefined {
    if (!isJid(jid) || jid > this.durableHead(namespace)) return undefined
    const record = this.entries.get(entryKey(namespace, jid))
    return record && fromRecord(jid, record)
  }

  async range(namespace: string, since: number, limit: number): Promise<StoredEntry[]> {
    const upto = Math.min(this.durableHead(namespace), since + limit)
    if (upto <= since) return []
    const found: StoredEntry[] = []
    for (const {key, value} of this.entries.getRange({start: entryKey(namespace, since + 1), end: entryKey(namespace, upto + 1)})) {
      found.push(fromRecord(jidOfKey(key), value))
    }
    return found
  }

  async pathLog(namespace: string, path: string, before: number, limit: number): Promise<StoredEntry[]> {
    const below = Math.min(before - 1, this.durableHead(namespace))
    if (below < 1) return []
    const found: StoredEntry[] = []
    for (const key of this.touches.getKeys({start: touchKey(namespace, path, below), end: touchKey(namespace, path, 0), reverse: true, limit})) {
      found.push(this.entryAt(namespace, jidOfKey(key))!)
    }
    return found
  }

  async heads(namespace: string, afterPath: string | undefined, limit: number): Promise<{heads: StoredEntry[]; jid: number; more: boolean}> {
    const jid = this.durableHead(namespace)
    const txn = this.env.useReadTransaction()
    try {
      const start = afterPath === undefined ? namespaceStart(namespace) : after(headKey(namespace, afterPath))
      const heads: StoredEntry[] = []
      for (const {key, value} of this.headsDb.getRange({start, end: namespaceEnd(namespace), transaction: txn})) {
        const path = pathOfHeadKey(namespace, key)
        // A head written after the durable JID: the path's head as of that JID is its newest touch at or below it.
        const at = value <= jid ? value : this.touchAtOrBelow(namespace, path, jid, txn)
        if (at === undefined) continue
        const entry = fromRecord(at, this.entries.get(entryKey(namespace, at), {transaction: txn})!)
        if (deletesPath(entry, path)) continue
        if (heads.length === limit) return {heads, jid, more: true}
        heads.push(entry)
      }
      return {heads, jid, more: false}
    } finally {
      txn.done()
    }
  }

  async transact<T>(namespace: string, reads: ReadSet, work: (view: JournalView) => T, chunks?: CommitChunks): Promise<T> {
    const staging = chunks && (await this.stageOrFlush(namespace, chunks))
    // Load the durable head before this transaction can write past it.
    this.durableHead(namespace)
    let last = 0
    const result = await durableTransaction(
      this.env,
      () => {
        if (chunks) checkSteady(chunks)
        if (staging) this.staged.stage(namespace, staging)
        let head = this.counters.get(namespace) ?? 0
        const view: JournalView = checkedView(reads, {
          head: (path) => {
            const jid = this.headsDb.get(headKey(namespace, path))
            return jid === undefined ? undefined : fromRecord(jid, this.entries.get(entryKey(namespace, jid))!)
          },
          presentUnder: (path, except) => {
            // '0' is the byte after '/': the range holds exactly the paths under `path/`.
            for (const {key, value} of this.headsDb.getRange({start: headKey(namespace, `${path}/`), end: headKey(namespace, `${path}0`)})) {
              const under = pathOfHeadKey(namespace, key)
              const entry = fromRecord(value, this.entries.get(entryKey(namespace, value))!)
              if (under !== except && !deletesPath(entry, under)) return entry
            }
            return undefined
          },
          append: (entry) => {
            head++
            this.write(namespace, head, entry)
            this.counters.putSync(namespace, head)
            return head
          },
        })
        const value = work(view)
        last = head
        return value
      },
      staging?.reduce((sum, {bytes}) => sum + bytes.length, 0),
    )
    // Flushes are in commit order: this one being durable makes every earlier one durable too.
    if (last > this.durableHead(namespace)) this.durable.set(namespace, last)
    if (staging?.length) (await this.chunks.namespace(namespace)).settleSoon()
    return result
  }

  /**
   * The chunks of the namespace not yet durable, to write in the commit's transaction, if they are small enough
   * together; else they are flushed now (and nothing is staged). Chunks counted present by the commit were either
   * durable or among these, unless the store recovered since (checked inside the transaction).
   */
  private async stageOrFlush(namespace: string, chunks: CommitChunks): Promise<PackChunk[] | undefined> {
    const unflushed = await (await this.chunks.namespace(namespace)).unflushed(STAGE_MAX_BYTES)
    if (unflushed) return unflushed
    await flushSteady(chunks)
    return undefined
  }

  async prune(namespace: string, jids: readonly number[]): Promise<number> {
    if (jids.length === 0) return 0
    return durableTransaction(this.env, () => {
      let pruned = 0
      for (const jid of jids) {
        const key = entryKey(namespace, jid)
        const record = this.entries.get(key)
        if (!record?.m || this.headsDb.get(headKey(namespace, record.p)) === jid) continue
        this.entries.putSync(key, prunedRecord(record))
        pruned++
      }
      return pruned
    })
  }

  private write(namespace: string, jid: number, entry: NewEntry): void {
    this.entries.putSync(entryKey(namespace, jid), toRecord(entry))
    for (const path of entry.from === undefined ? [entry.path] : [entry.path, entry.from]) {
      this.headsDb.putSync(headKey(namespace, path), jid)
      this.touches.putSync(touchKey(namespace, path, jid), 1)
    }
  }

  private touchAtOrBelow(namespace: string, path: string, jid: number, transaction: ReturnType<RootDatabase['useReadTransaction']>): number | undefined {
    for (const key of this.touches.getKeys({start: touchKey(namespace, path, jid), end: touchKey(namespace, path, 0), reverse: true, limit: 1, transaction})) {
      return jidOfKey(key)
    }
    return undefined
  }
}
