/**
 * Which versions of one path retention prunes (docs/storage.md, Retention), from the path's touches in JID
 * order. Kept: the path's current version; every version younger than `keepDays`; the newest version of each
 * day (UTC) for `thinDays` after that; the last version before a deletion that is still the path's state, for
 * `keepDays` after the deletion. Everything older is pruned. Pure: the clock is an argument.
 */
import {DAY_MS} from '#src/util/day-ms.js'
import type {RetentionPolicy} from '../storage/retention-policy.js'

export {DAY_MS}

export interface Touch {
  jid: number
  /** The entry's time (server clock, ms). */
  time: number
  /** `version`: gave the path a manifest that is still kept; `pruned`: gave it one already pruned; `gone`: left it absent. */
  kind: 'version' | 'pruned' | 'gone'
}

export function prunable(touches: readonly Touch[], policy: RetentionPolicy, now: number): number[] {
  const head = touches.at(-1)
  const keepFrom = now - policy.keepDays * DAY_MS
  const thinFrom = keepFrom - policy.thinDays * DAY_MS
  const day = (time: number) => Math.floor(time / DAY_MS)
  // In JID order, so the last one seen of a day is its newest.
  const newestOfDay = new Map<number, number>()
  for (const touch of touches) if (touch.kind === 'version' && touch.time >= thinFrom && touch.time < keepFrom) newestOfDay.set(day(touch.time), touch.jid)
  const pruned: number[] = []
  touches.forEach((touch, i) => {
    if (touch.kind !== 'version' || touch === head || touch.time >= keepFrom) return
    const next = touches[i + 1]
    if (next === head && next.kind === 'gone' && next.time >= keepFrom) return
    if (newestOfDay.get(day(touch.time)) === touch.jid) return
    pruned.push(touch.jid)
  })
  return pruned
}
