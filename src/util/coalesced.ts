import {coalescedPaths} from './coalesced-paths.js'

/**
 * Group commit for an operation that covers everything done before it starts (a flush): a call while one run is
 * in progress shares the single run queued after it, instead of queueing a run of its own. Fifty concurrent
 * commits then wait for at most two flushes, not fifty in a row.
 */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  const call = coalescedPaths(run)
  return () => call([])
}
