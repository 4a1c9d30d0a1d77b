/**
 * Which paths could not be synced after a pass, kept in the folder state so that `sync status` lists them and
 * the daemon reports each once. One such path never stops the others.
 * - `here`: what the scan found and the protocol refuses; a partial scan renews only the paths it covered.
 * - `server`: journal entries this device refused; kept until the journal deletes the path (it will not send
 *   them again).
 * - `disk`: remote versions this pass could not write (a folder in the way, a link above, a name or a disk
 *   this device cannot hold them on); the planner tries them again at every pass, so each pass renews them.
 * - `up`: local versions the server did not take (too large for a request, no room on the server); tried
 *   again at every pass, renewed the same way.
 */
import type {BlockedPath} from '../state/folder-state.js'
import type {PassSummary} from './syncer.js'

export function blockedAfterPass(
  previous: readonly BlockedPath[],
  summary: Pick<PassSummary, 'scan' | 'pull' | 'skipped'>,
  scanned: (path: string) => boolean,
): BlockedPath[] {
  const byPath = new Map<string, BlockedPath>()
  for (const entry of previous) {
    if (entry.side === 'server' || (entry.side === 'here' && !scanned(entry.path))) byPath.set(entry.path, entry)
  }
  for (const {path, reason, gone} of summary.pull.refused) {
    // A refused path that the journal then deleted (or moved away) is no longer anywhere to sync.
    if (gone) byPath.delete(path)
    else byPath.set(path, {path, reason, side: 'server'})
  }
  for (const {path, reason} of summary.scan.unsyncable) byPath.set(path, {path, reason, side: 'here'})
  for (const {path, reason, side} of summary.skipped) if (reason !== CHANGED_LOCALLY) byPath.set(path, {path, reason, side: side ?? 'disk'})
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** The reason of a path skipped because its file changed during the pass: not blocked, synced at the next one. */
export const CHANGED_LOCALLY = 'changed locally'

/** The entries of `next` that `previous` did not have (same path and reason): what to report now. */
export function newlyBlocked(previous: readonly BlockedPath[], next: readonly BlockedPath[]): BlockedPath[] {
  const known = new Set(previous.map((entry) => `${entry.path}\u0000${entry.reason}`))
  return next.filter((entry) => !known.has(`${entry.path}\u0000${entry.reason}`))
}
