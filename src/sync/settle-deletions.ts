/**
 * A full pass that would send deletions first lets the folder settle: it looks again a moment later and, while
 * more of the tracked files went in between, again, up to a bound. An `rm -rf` under way when the scan ran then
 * reaches the delete guard whole instead of in the slice one scan happened to see: a `sync once` from cron in the
 * middle of one sent the deletions seen so far whenever they were under the guard's thresholds (2,000 of 10,000
 * files are fewer than its quarter), and the next run found the rest held. A pass told which paths changed (the
 * daemon's, after its watcher's quiet time, change-batch.ts) does not wait; nor does a pass with nothing to delete.
 */

/** Between two looks: an `rm -rf` removes hundreds of files in this time, a script deleting one by one dozens. */
export const SETTLE_LOOK_MS = 100
/** Looks before the deletions seen are judged even if they still grow (a huge `rm -rf` is past the thresholds by then). */
export const SETTLE_MAX_LOOKS = 30

export interface SettleSteps {
  /** Deletions the pass would send now. */
  deletions: () => number
  /** Scans the folder again. */
  look: () => Promise<void>
  /** Told before each wait, with the deletions seen so far. */
  onWait?: (deletions: number) => void
}

/** Waits while the deletions a pass would send keep growing; returns how many looks it took (0: none to wait for). */
export async function settleDeletions(steps: SettleSteps, lookMs = SETTLE_LOOK_MS, maxLooks = SETTLE_MAX_LOOKS): Promise<number> {
  let seen = steps.deletions()
  let looks = 0
  while (seen > 0 && looks < maxLooks) {
    steps.onWait?.(seen)
    await new Promise((resolve) => setTimeout(resolve, lookMs))
    await steps.look()
    looks++
    const now = steps.deletions()
    if (now <= seen) break
    seen = now
  }
  return looks
}
