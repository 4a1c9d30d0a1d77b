/**
 * Group commit for an operation that covers everything done before it starts (a flush): a call while one run is
 * in progress shares the single run queued after it, instead of queueing a run of its own. Fifty concurrent
 * commits then wait for at most two flushes, not fifty in a row.
 */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined
  const start = (): Promise<void> => {
    const current = run().finally(() => {
      if (running === current) running = undefined
    })
    running = current
    return current
  }
  return () => {
    if (queued) return queued
    if (!running) return start()
    const next = running
      .catch(() => undefined)
      .then(() => {
        queued = undefined
        return start()
      })
    queued = next
    return next
  }
}
