/**
 * The journal in PostgreSQL (migrations.ts: journal_heads, entries, path_heads, touches). A commit is one
 * transaction: it locks the namespace's journal_heads row (an upsert, which locks like SELECT ... FOR UPDATE, as
 * Seafile's branch compare-and-set does), loads the read set in two queries, runs the work against that in memory,
 * writes the appended entries at head+1... (gap-free: only the lock holder appends) and moves the head. Reads see
 * committed transactions only (commits of a namespace waiting together run as one: commit-batches.ts), and a commit returns once PostgreSQL made it durable (synchronous_commit on:
 * open-postgres-storage.ts checks it), so nothing a crash could take back is ever shown.
 */
import type pg from 'pg'
import {deletesPath} from '#src/journal/journal-entry.js'
import type {CommitChunks, JournalStorage, JournalView, NewEntry, ReadSet, StoredEntry} from '../types.js'
import {checkedView} from '../checked-view.js'
import {flushSteady} from '../steady-chunks.js'
import {fromRecord, prunedRecord, toRecord} from '../lmdb/entry-record.js'
import {ENTRY_COLUMNS, type EntryRow, recordOfRow, rowValues} from './entry-row.js'
import {CommitBatches, type Pending, unionOfReads} from './commit-batches.js'
import {inTransaction} from './transaction.js'
import {TransactionView} from './transaction-view.js'

const entryOf = (row: EntryRow): StoredEntry => fromRecord(Number(row.jid), recordOfRow(row))

export class PgJournal implements JournalStorage {
  constructor(private readonly pool: pg.Pool) {}

  async head(namespace: string): Promise<number> {
    const {rows} = await this.pool.query('SELECT head FROM journal_heads WHERE namespace = $1', [namespace])
    return rows.length === 0 ? 0 : Number(rows[0].head)
  }

  async entry(namespace: string, jid: number): Promise<StoredEntry | undefined> {
    if (!Number.isSafeInteger(jid) || jid < 1) return undefined
    const {rows} = await this.pool.query<EntryRow>(`SELECT ${ENTRY_COLUMNS('e')} FROM entries e WHERE namespace = $1 AND jid = $2`, [namespace, jid])
    return rows.length === 0 ? undefined : entryOf(rows[0])
  }

  async entriesAt(namespace: string, jids: readonly number[]): Promise<StoredEntry[]> {
    const wanted = [...new Set(jids)].filter((jid) => Number.isSafeInteger(jid) && jid >= 1)
    if (wanted.length === 0) return []
    const {rows} = await this.pool.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS('e')} FROM entries e WHERE namespace = $1 AND jid = ANY($2::bigint[]) ORDER BY jid`,
      [namespace, wanted],
    )
    return rows.map(entryOf)
  }

  async range(namespace: string, since: number, limit: number): Promise<StoredEntry[]> {
    const {rows} = await this.pool.query<EntryRow>(`SELECT ${ENTRY_COLUMNS('e')} FROM entries e WHERE namespace = $1 AND jid > $2 ORDER BY jid LIMIT $3`, [
      namespace,
      since,
      limit,
    ])
    return rows.map(entryOf)
  }

  async pathLog(namespace: string, path: string, before: number, limit: number): Promise<StoredEntry[]> {
    const {rows} = await this.pool.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS('e')} FROM touches t JOIN entries e ON e.namespace = t.namespace AND e.jid = t.jid
       WHERE t.namespace = $1 AND t.path = $2 AND t.jid < $3 ORDER BY t.jid DESC LIMIT $4`,
      [namespace, path, before, limit],
    )
    return rows.map(entryOf)
  }

  /** One snapshot (REPEATABLE READ): the heads and the JID they are as of agree. */
  async heads(namespace: string, after: string | undefined, limit: number): Promise<{heads: StoredEntry[]; jid: number; more: boolean}> {
    return inTransaction(
      this.pool,
      async (client) => {
        const head = await client.query('SELECT head FROM journal_heads WHERE namespace = $1', [namespace])
        const {rows} = await client.query<EntryRow>(
          `SELECT ${ENTRY_COLUMNS('e')} FROM path_heads h JOIN entries e ON e.namespace = h.namespace AND e.jid = h.jid
           WHERE h.namespace = $1 AND h.present AND h.path > $2 ORDER BY h.path LIMIT $3`,
          [namespace, after ?? '', limit + 1],
        )
        const heads = rows.map(entryOf)
        return {heads: heads.slice(0, limit), jid: head.rows.length === 0 ? 0 : Number(head.rows[0].head), more: heads.length > limit}
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    )
  }

  private readonly batches = new CommitBatches((namespace, batch) => this.runBatch(namespace, batch))

  /** A commit's chunks are flushed first (their packs go to the blob store, which no transaction spans). */
  async transact<T>(namespace: string, reads: ReadSet, work: (view: JournalView) => T, chunks?: CommitChunks): Promise<T> {
    if (chunks) await flushSteady(chunks)
    return this.batches.add(namespace, reads, work)
  }

  /** One transaction for the commits of a batch; each is answered once the whole is durable. */
  private async runBatch(namespace: string, batch: Pending[]): Promise<void> {
    const outcomes = await inTransaction(this.pool, async (client) => {
      const locked = await client.query(
        `INSERT INTO journal_heads (namespace, head) VALUES ($1, 0)
         ON CONFLICT (namespace) DO UPDATE SET head = journal_heads.head RETURNING head`,
        [namespace],
      )
      const view = new TransactionView(Number(locked.rows[0].head))
      await this.loadReads(client, namespace, unionOfReads(batch), view)
      const done = batch.map(({reads, work}) => {
        const point = view.savepoint()
        try {
          return {ok: true, value: work(checkedView(reads, view))}
        } catch (error) {
          view.rollbackTo(point)
          return {ok: false, value: error}
        }
      })
      if (view.appended.length > 0) await this.write(client, namespace, view)
      return done
    })
    batch.forEach((pending, i) => (outcomes[i].ok ? pending.resolve(outcomes[i].value) : pending.reject(outcomes[i].value)))
  }

  /** The heads named, and enough present paths under each `under` that appends cannot use them all up. */
  private async loadReads(client: pg.PoolClient, namespace: string, reads: ReadSet, view: TransactionView): Promise<void> {
    if (reads.heads.size > 0) {
      const {rows} = await client.query<EntryRow & {head_path: string}>(
        `SELECT h.path AS head_path, ${ENTRY_COLUMNS('e')} FROM path_heads h JOIN entries e ON e.namespace = h.namespace AND e.jid = h.jid
         WHERE h.namespace = $1 AND h.path = ANY($2::text[])`,
        [namespace, [...reads.heads]],
      )
      view.loadHeads(reads.heads, new Map(rows.map((row) => [row.head_path, entryOf(row)])))
    }
    if (reads.under.size > 0) {
      // An append can leave at most two paths absent (a move's two): past that many, one loaded stays present.
      const enough = 2 * reads.appends + 2
      const {rows} = await client.query<EntryRow & {dir: string; head_path: string}>(
        `SELECT u.dir, h.path AS head_path, ${ENTRY_COLUMNS('e')} FROM unnest($2::text[]) AS u(dir)
         CROSS JOIN LATERAL (SELECT path, jid FROM path_heads WHERE namespace = $1 AND present
           AND path >= u.dir || '/' AND path < u.dir || '0' ORDER BY path LIMIT $3) h
         JOIN entries e ON e.namespace = $1 AND e.jid = h.jid`,
        [namespace, [...reads.under], enough],
      )
      for (const dir of reads.under)
        view.loadUnder(
          dir,
          rows.filter((row) => row.dir === dir).map((row) => [row.head_path, entryOf(row)]),
        )
    }
  }

  /** The appended entries, their touches and heads, and the namespace's new head: one statement. */
  private async write(client: pg.PoolClient, namespace: string, view: TransactionView): Promise<void> {
    const columns: unknown[][] = Array.from({length: 12}, () => [])
    for (const {jid, entry} of view.appended) [jid, ...rowValues(toRecord(entry))].forEach((value, i) => columns[i].push(value))
    const paths: string[] = []
    const jids: number[] = []
    const present: boolean[] = []
    for (const {jid, entry} of view.appended) {
      for (const path of touchedBy(entry)) {
        paths.push(path)
        jids.push(jid)
        present.push(!deletesPath(entry, path))
      }
    }
    // The last write of a path in this transaction is its head.
    await client.query(
      `WITH written AS (
         INSERT INTO entries (namespace, jid, path, prev, kind, manifest, from_path, from_prev, device, time, pruned, size, exec)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bytea[], $7::text[], $8::bigint[], $9::text[],
           $10::bigint[], $11::boolean[], $12::bigint[], $13::boolean[])
       ), touched AS (
         INSERT INTO touches (namespace, path, jid) SELECT $1, * FROM unnest($14::text[], $15::bigint[])
       ), headed AS (
         INSERT INTO path_heads (namespace, path, jid, present)
         SELECT DISTINCT ON (path) $1, path, jid, present FROM unnest($14::text[], $15::bigint[], $16::boolean[]) AS w(path, jid, present)
         ORDER BY path, jid DESC
         ON CONFLICT (namespace, path) DO UPDATE SET jid = excluded.jid, present = excluded.present
       )
       UPDATE journal_heads SET head = $17 WHERE namespace = $1`,
      [namespace, ...columns, paths, jids, present, view.last],
    )
  }

  async prune(namespace: string, jids: readonly number[]): Promise<number> {
    if (jids.length === 0) return 0
    return inTransaction(this.pool, async (client) => {
      // Heads are skipped: a path's head always keeps its manifest.
      const {rows} = await client.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS('e')} FROM entries e WHERE e.namespace = $1 AND e.jid = ANY($2::bigint[]) AND e.manifest IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM path_heads h WHERE h.namespace = e.namespace AND h.path = e.path AND h.jid = e.jid)
         FOR UPDATE`,
        [namespace, [...jids]],
      )
      for (const row of rows) {
        const pruned = prunedRecord(recordOfRow(row))
        await client.query('UPDATE entries SET manifest = NULL, pruned = true, size = $3, exec = $4 WHERE namespace = $1 AND jid = $2', [
          namespace,
          row.jid,
          pruned.s ?? null,
          pruned.e === 1 ? true : null,
        ])
      }
      return rows.length
    })
  }
}

function touchedBy(entry: NewEntry): string[] {
  return entry.from === undefined ? [entry.path] : [entry.path, entry.from]
}
