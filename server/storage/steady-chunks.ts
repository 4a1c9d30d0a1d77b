/**
 * A request that counts chunks present and then names them durably (a commit, an upload) must not straddle a
 * recovery of the chunk store: a recovery after a failed write drops the chunks that were not yet durable, so
 * chunks counted present before it may be gone even though the request's own flush then succeeds.
 */
import {NoSpaceError} from '#src/errors/index.js'
import type {NamespaceChunks} from './types.js'

/** Runs `work` and throws NoSpaceError (nothing of it counts) if the store recovered meanwhile. */
export async function steadyChunks<T>(chunks: NamespaceChunks, work: () => Promise<T>): Promise<T> {
  const before = chunks.recoveries
  const result = await work()
  if (chunks.recoveries !== before) throw new NoSpaceError('the chunk store ran out of space during this request; send it again once there is room')
  return result
}
