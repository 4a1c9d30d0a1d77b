/**
 * A request that counts chunks present and then names them durably (a commit, an upload) must not straddle a
 * recovery of the chunk store: a recovery after a failed write drops the chunks that were not yet durable, so
 * chunks counted present before it may be gone even though the request's own flush then succeeds.
 */
import {NoSpaceError} from '#src/errors/index.js'
import type {CommitChunks, NamespaceChunks} from './types.js'

/** Runs `work` and throws NoSpaceError (nothing of it counts) if the store recovered meanwhile. */
export async function steadyChunks<T>(chunks: NamespaceChunks, work: () => Promise<T>): Promise<T> {
  const before = chunks.recoveries
  const result = await work()
  checkSteady({store: chunks, recoveries: before})
  return result
}

/** Throws NoSpaceError if the store recovered since the commit counted its chunks present. */
export function checkSteady({store, recoveries}: CommitChunks): void {
  if (store.recoveries !== recoveries) throw new NoSpaceError('the chunk store ran out of space during this request; send it again once there is room')
}

/** The chunks of a commit made durable before its transaction (JournalStorage.transact). */
export async function flushSteady(chunks: CommitChunks): Promise<void> {
  await chunks.store.flush()
  checkSteady(chunks)
}
