/** One line per change, for the daemon's log and `sync once`'s output. */
import {windowPhrase} from '#src/sync/describe-holds.js'
import type {SyncEvent} from '#src/sync/sync-event.js'
import {shownPath} from '#src/util/shown-path.js'

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
  held: 'holding',
  nested: 'skipping nested sync folder',
}

const APPROVE = "'sync approve-deletes' lets them through, 'sync restore --held' brings the files back"

/** A group of held changes: what, why, and what the user can do about it. */
function describeHeld(event: SyncEvent): string {
  const count = event.count ?? 1
  const more = count > 1 ? ` and ${count - 1} more` : ''
  if (event.why === 'read-only') return `not sent (the token is read-only, kept here): ${shownPath(event.path)}${more}`
  const side = event.direction === 'down' ? `from ${event.from ?? 'another device'}` : 'from this device'
  const lately = event.lately ? `, ${windowPhrase(event.lately)}` : ''
  const why =
    event.why === 'folder-empty' ? 'the folder looks empty: is a disk unmounted?' : `more deletions in a short time than the delete guard allows${lately}`
  return `holding ${count} deletion${count === 1 ? '' : 's'} ${side} (${why}): ${APPROVE}`
}

export function describeEvent(event: SyncEvent): string {
  if (event.type === 'held') return describeHeld(event)
  const kept = event.kept ? `; the version written here is kept: sync kept ${event.path}` : ''
  const jid = event.jid === undefined ? '' : ` (jid ${event.jid}${kept})`
  const path = shownPath(event.path)
  if (event.from) return `${verbs[event.type]} ${shownPath(event.from)} -> ${path}${jid}`
  if (event.reason) return `${verbs[event.type]} ${path}: ${event.reason}`
  if (event.copy) return `${verbs[event.type]} ${path}: your version kept as ${shownPath(event.copy)}`
  return `${verbs[event.type]} ${path}${jid}`
}
