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
