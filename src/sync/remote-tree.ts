/**
 * Recording journal entries in the remote tree. An entry touches its path and, for a move, its old path (deleted
 * by the same entry); each path takes the entry only if it is newer than what that path already knows. Every
 * way an entry arrives (a `changes` page, a conflict's head) goes through here, so no path can miss the half
 * of a move that the other half already recorded.
 */
import type {JournalEntry} from '../journal/journal-client.js'
import type {Manifest} from '../manifest/manifest.js'
import type {FolderState} from '../state/folder-state.js'
import type {SyncedVersion} from '../state/path-record.js'

/** Whether the remote tree knows a version of `path` at least as new as `jid`. */
export function knowsAtLeast(state: FolderState, path: string, jid: number): boolean {
  return (state.get(path)?.remote?.jid ?? 0) >= jid
}

/** Records `entry` (whose manifest is `manifest`, undefined for a deletion); returns the paths it changed. */
export function recordEntry(state: FolderState, entry: Pick<JournalEntry, 'jid' | 'path' | 'from'>, manifest: Manifest | undefined): string[] {
  const changed: string[] = []
  if (!knowsAtLeast(state, entry.path, entry.jid)) {
    const version: SyncedVersion = {jid: entry.jid, ...(manifest ? {manifest} : {}), ...(entry.from ? {movedFrom: entry.from} : {})}
    state.update(entry.path, {remote: version})
    changed.push(entry.path)
  }
  if (entry.from && !knowsAtLeast(state, entry.from, entry.jid)) {
    state.update(entry.from, {remote: {jid: entry.jid, movedTo: entry.path}})
    changed.push(entry.from)
  }
  return changed
}
