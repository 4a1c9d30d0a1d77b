/**
 * What the delete guard's window added to a held mass deletion, as the CLI and the daemon's page say it.
 * Self-contained: the page's script gets this function's own text (WINDOW_PHRASE_SCRIPT).
 */
export function windowPhrase(lately: {count: number; minutes: number}): string {
  const span = lately.minutes === 60 ? 'hour' : lately.minutes === 1 ? 'minute' : `${lately.minutes} minutes`
  return `with the ${lately.count} carried out in the ${span} before`
}

/** `windowPhrase` for a page's inline script, as the function the daemon runs. */
export const WINDOW_PHRASE_SCRIPT = `const windowPhrase = ${String(windowPhrase)}\n`

/** Held changes as events: one per kind of hold and side (a held `rm -rf` is one line in a log, not ten thousand). */
import type {HeldChange} from '../state/folder-state.js'
import type {SyncEvent} from './sync-event.js'

export function describeHolds(held: readonly HeldChange[]): {event: SyncEvent; paths: string[]}[] {
  const groups = new Map<string, HeldChange[]>()
  for (const change of held) {
    const incoming = change.type === 'delete-local'
    const key = `${change.why}\u0000${incoming ? `in\u0000${change.from ?? ''}` : 'out'}`
    const group = groups.get(key)
    if (group) group.push(change)
    else groups.set(key, [change])
  }
  return [...groups.values()].map((changes) => {
    const [first] = changes
    const event: SyncEvent = {direction: first.type === 'delete-local' ? 'down' : 'up', type: 'held', path: first.path, why: first.why, count: changes.length}
    if (first.from) event.from = first.from
    if (first.lately) event.lately = first.lately
    return {event, paths: changes.map((c) => c.path)}
  })
}
