/**
 * A clock for long-polls and timed writes that moves only when a test says so: a timer fires at `advance`, never
 * on its own. `now` reads the clock (milliseconds, from `start`).
 */
import type {SetTimer} from '#server/waiters.js'

export function manualTimer(start = 0) {
  let now = start
  const pending = new Set<{at: number; done: () => void}>()
  const setTimer: SetTimer = (done, ms) => {
    const timer = {at: now + ms, done}
    pending.add(timer)
    return () => pending.delete(timer)
  }
  const advance = (ms: number) => {
    now += ms
    for (const timer of [...pending]) {
      if (timer.at > now) continue
      pending.delete(timer)
      timer.done()
    }
  }
  return {setTimer, advance, now: () => now}
}
