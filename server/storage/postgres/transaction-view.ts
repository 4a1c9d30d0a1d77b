/**
 * A journal transaction's view in memory (pg-journal.ts): the read set as loaded at the start, under the writes
 * made since. Paths compare byte-wise (UTF-8), as PostgreSQL's COLLATE "C" and LMDB's keys order them.
 */
import {deletesPath} from '#src/journal/journal-entry.js'
import {fromRecord, toRecord} from '../lmdb/entry-record.js'
import type {JournalView, NewEntry, StoredEntry} from '../types.js'

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))

export class TransactionView implements JournalView {
  private readonly loaded = new Map<string, StoredEntry | undefined>()
  private readonly under = new Map<string, string[]>()
  private readonly written = new Map<string, StoredEntry>()
  readonly appended: {jid: number; entry: NewEntry}[] = []
  /** What each append replaced in `written`, newest last: how a savepoint is rolled back to. */
  private readonly undo: {path: string; before: StoredEntry | undefined}[] = []

  /** The namespace's newest JID, moved by each append. */
  constructor(public last: number) {}

  loadHeads(paths: Iterable<string>, found: ReadonlyMap<string, StoredEntry>): void {
    for (const path of paths) this.loaded.set(path, found.get(path))
  }

  /** The first present paths under `dir` (in byte order) with their heads. */
  loadUnder(dir: string, present: [string, StoredEntry][]): void {
    for (const [path, entry] of present) if (!this.loaded.has(path)) this.loaded.set(path, entry)
    this.under.set(
      dir,
      present.map(([path]) => path),
    )
  }

  head(path: string): StoredEntry | undefined {
    return this.written.get(path) ?? this.loaded.get(path)
  }

  presentUnder(dir: string, except?: string): StoredEntry | undefined {
    const prefix = `${dir}/`
    const candidates = new Set(this.under.get(dir) ?? [])
    for (const path of this.written.keys()) if (path.startsWith(prefix)) candidates.add(path)
    for (const path of [...candidates].sort(byteOrder)) {
      const entry = this.head(path)!
      if (path !== except && !deletesPath(entry, path)) return entry
    }
    return undefined
  }

  append(entry: NewEntry): number {
    const jid = ++this.last
    this.appended.push({jid, entry})
    const stored = fromRecord(jid, toRecord(entry))
    this.write(entry.path, stored)
    if (entry.from !== undefined) this.write(entry.from, stored)
    return jid
  }

  /** A point to roll back to: the appends made after it can be undone (commit-batches.ts: a work that threw). */
  savepoint(): {appended: number; undo: number; last: number} {
    return {appended: this.appended.length, undo: this.undo.length, last: this.last}
  }

  rollbackTo(point: {appended: number; undo: number; last: number}): void {
    while (this.undo.length > point.undo) {
      const {path, before} = this.undo.pop()!
      if (before === undefined) this.written.delete(path)
      else this.written.set(path, before)
    }
    this.appended.length = point.appended
    this.last = point.last
  }

  private write(path: string, stored: StoredEntry): void {
    this.undo.push({path, before: this.written.get(path)})
    this.written.set(path, stored)
  }
}
