/**
 * Whether a server's journal is the one a folder's state was built from, asked before the folder is pointed at
 * another server URL (a moved or renamed server): its journal must reach the folder's cursor, and its entry at
 * the newest JID the folder agreed on must be that same version of that same path. Another journal (another
 * server, a namespace made again) would make the folder's bases and cursor name other changes: its sync state
 * must then be rebuilt (`sync config set --reset`).
 */
import {NotFoundError} from '../errors/index.js'
import type {JournalClient} from '../journal/journal-client.js'
import {manifestsEqual} from '../manifest/manifest.js'
import type {FolderState} from '../state/folder-state.js'

/** Whether the folder ever synced: a cursor or a version agreed on with a server. */
export function hasSynced(state: FolderState): boolean {
  if (state.cursor > 0) return true
  for (const [, record] of state.entries()) if (record.base) return true
  return false
}

/** Undefined when `client`'s journal is the folder's; else why not. */
export async function journalDiffers(state: FolderState, client: JournalClient): Promise<string | undefined> {
  const {head} = await client.changes(0, {limit: 1})
  if (head < state.cursor) return `its journal ends at jid ${head}, before this folder's cursor (jid ${state.cursor})`
  let newest: {path: string; jid: number; record: NonNullable<ReturnType<FolderState['get']>>} | undefined
  // Not the deletion half of a move: its entry names where the file went.
  for (const [path, record] of state.entries())
    if (record.base && !record.base.movedTo && record.base.jid > (newest?.jid ?? 0)) newest = {path, jid: record.base.jid, record}
  if (!newest) return undefined
  const entry = await client.entry(newest.jid).catch((error) => {
    if (error instanceof NotFoundError) return undefined
    throw error
  })
  const base = newest.record.base!
  const same =
    entry !== undefined &&
    entry.path === newest.path &&
    (entry.manifest ? manifestsEqual(entry.manifest, base.manifest) : entry.kind === 'deleted' && !base.manifest)
  return same ? undefined : `its jid ${newest.jid} is not the version of ${newest.path} this folder has`
}
