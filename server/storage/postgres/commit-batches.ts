/**
 * Group commit per namespace (pg-journal.ts): commits of one namespace that arrive while its transaction is
 * running wait, then run together in the next one: one row lock, one load of their read sets together, each
 * work in turn against the same view (later ones see the earlier ones' appends, as they would one transaction
 * later), one write and one durable COMMIT for all. A work that throws is undone in the view alone (its appends
 * dropped); the others still commit. Throughput then grows with the number waiting instead of being one commit
 * per fsync.
 */
import type {JournalView, ReadSet} from '../types.js'

/** The most appends one batch takes (a commit declares at most 2 per item; the server takes 1,000 items). */
const MAX_BATCH_APPENDS = 4096

export interface Pending {
  reads: ReadSet
  work: (view: JournalView) => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

export class CommitBatches {
  private readonly waiting = new Map<string, Pending[]>()

  /** `run` runs one batch of a namespace in one transaction; batches of a namespace never overlap here. */
  constructor(private readonly run: (namespace: string, batch: Pending[]) => Promise<void>) {}

  add<T>(namespace: string, reads: ReadSet, work: (view: JournalView) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = {reads, work, resolve: resolve as (value: unknown) => void, reject}
      const queue = this.waiting.get(namespace)
      if (queue) queue.push(pending)
      else {
        this.waiting.set(namespace, [pending])
        void this.drain(namespace)
      }
    })
  }

  private async drain(namespace: string): Promise<void> {
    const queue = this.waiting.get(namespace)!
    while (queue.length > 0) {
      const batch = takeBatch(queue)
      try {
        await this.run(namespace, batch)
      } catch (error) {
        for (const pending of batch) pending.reject(error)
      }
    }
    this.waiting.delete(namespace)
  }
}

function takeBatch(queue: Pending[]): Pending[] {
  let appends = 0
  let count = 0
  while (count < queue.length && (count === 0 || appends + queue[count].reads.appends <= MAX_BATCH_APPENDS)) appends += queue[count++].reads.appends
  return queue.splice(0, count)
}

/** The read set of a whole batch. */
export function unionOfReads(batch: readonly Pending[]): ReadSet {
  const heads = new Set<string>()
  const under = new Set<string>()
  let appends = 0
  for (const {reads} of batch) {
    for (const path of reads.heads) heads.add(path)
    for (const dir of reads.under) under.add(dir)
    appends += reads.appends
  }
  return {heads, under, appends}
}
