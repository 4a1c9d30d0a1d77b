/** A clock for long-polls that moves only when a test says so: a wait times out at `advance`, never on its own. */
import type {SetTimer} from '../../../server/waiters.js'

export function manualTimer() {
  let now = 0
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
  return {setTimer, advance}
}
