/**
 * A run over paths (a daemon's pass over what its watcher saw) for callers that come while one runs: their paths
 * join the single run queued after it, instead of each queueing a run of its own (coalesced.ts is this without paths).
 * A first sync's 9,000 downloads came back from a daemon's watcher as about 90 batches, and each became a pass of
 * its own after the download's: 3 s of passes, each scanning, planning and saving for a few dozen files.
 */
export function coalescedPaths(run: (paths: string[]) => Promise<unknown>): (paths: readonly string[]) => Promise<void> {
  let running: Promise<void> | undefined
  let queued: {paths: Set<string>; done: Promise<void>} | undefined
  const start = (paths: string[]): Promise<void> => {
    const current: Promise<void> = run(paths)
      .then(() => undefined)
      .finally(() => {
        if (running === current) running = undefined
      })
    running = current
    return current
  }
  return (paths) => {
    if (queued) {
      for (const path of paths) queued.paths.add(path)
      return queued.done
    }
    if (!running) return start([...paths])
    const waiting = new Set(paths)
    const done = running
      .catch(() => undefined)
      .then(() => {
        queued = undefined
        return start([...waiting])
      })
    queued = {paths: waiting, done}
    return done
  }
}
