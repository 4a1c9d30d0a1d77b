/** One line per change, for the daemon's log and `sync once`'s output. */
import type {SyncEvent} from '../sync/sync-event.js'

const verbs: Record<SyncEvent['type'], string> = {
  upload: 'sent',
  'delete-remote': 'sent deletion of',
  'move-remote': 'sent move of',
  download: 'received',
  'delete-local': 'deleted (remote)',
  'move-local': 'moved (remote)',
  merged: 'merged',
  conflict: 'conflict on',
  blocked: 'cannot sync',
  held: 'not sent',
}

export function describeEvent(event: SyncEvent): string {
  const jid = event.jid === undefined ? '' : ` (jid ${event.jid})`
  if (event.from) return `${verbs[event.type]} ${event.from} -> ${event.path}${jid}`
  if (event.reason) return `${verbs[event.type]} ${event.path}: ${event.reason}`
  if (event.copy) return `${verbs[event.type]} ${event.path}: your version kept as ${event.copy}`
  return `${verbs[event.type]} ${event.path}${jid}`
}
