/**
 * `sync status`: what is pending, without changing anything (a daemon may be syncing the folder meanwhile).
 * Local changes are found by stat alone, as `git status` does; remote ones by reading the journal after the
 * cursor, not applying it. Conflict copies are the files named as such.
 */
import type {JournalClient} from '../journal/journal-client.js'
import {ClientTooOldError} from '../errors/index.js'
import {isConflictCopy} from '../merge/conflict-name.js'
import {updateCommand} from '../protocol/update-command.js'
import {planActions} from '../plan/plan-actions.js'
import {loadIgnoreRules} from '../scan/ignore-rules.js'
import {sameStat} from '../scan/stat-cache.js'
import {walkFolder} from '../scan/walk-folder.js'
import {nestedFolderFinder} from '../scan/nested-folders.js'
import type {SyncFolder} from '../folder/sync-folder.js'
import type {BlockedPath, HeldChange, LastError, WatchLimitNote} from '../state/folder-state.js'
import {pausedSince} from '../folder/pause.js'
import {type DaemonActivity, readDaemonStatus} from './daemon-status.js'
import {readUiLink} from '../daemon-ui/ui-link.js'

export interface FolderStatus {
  root: string
  device: string
  server?: {url: string; namespace: string; reachable: boolean; head?: number}
  /** The namespace is end-to-end encrypted (`sync init --encrypt`): the server sees sealed names and chunks only. */
  encrypted: boolean
  cursor: number
  /** Local changes not yet on the server: new, modified, deleted files. */
  pendingUploads: {path: string; change: 'new' | 'modified' | 'deleted'}[]
  /** Remote changes not yet in the folder. */
  pendingDownloads: string[]
  /** The server said this device's token is read-only: its local changes are kept here, not sent. */
  readOnly: boolean
  conflicts: string[]
  /** Versions written here that a change from elsewhere replaced or deleted, kept on this device (`sync kept`). */
  kept: number
  unreadable: {path: string; reason: string}[]
  /** Nested synced folders (with a `.sync/` of their own): skipped, never synced into this folder's namespace. */
  nested: string[]
  /** Paths that could not be synced at the last pass, and why (status.ts in commands prints them). */
  blocked: BlockedPath[]
  /** Changes the last pass held back on purpose: deletions the delete guard holds, a read-only token's changes. */
  held: HeldChange[]
  lastError?: LastError
  /** A running daemon cannot watch the whole folder (the OS's limit) and rescans instead. */
  watchLimit?: WatchLimitNote
  /** Since when the folder is paused (`sync pause`; ms since the epoch). */
  pausedSince?: number
  /** The server refused this client as too old (to read what follows the cursor): why, with the command that updates it. */
  clientTooOld?: string
  /** The server knows a newer client than this one: its version and the command that installs it. */
  newerClient?: {version: string; command: string}
  /** What the daemon syncing the folder is doing, when one runs. */
  daemon?: DaemonActivity
  /** The link (with its key) of that daemon's web page (`sync daemon --ui`), when this user may read it. */
  uiLink?: string
}

const PEEK_ENTRIES = 1000

export async function folderStatus(folder: SyncFolder, client?: JournalClient): Promise<FolderStatus> {
  const state = folder.loadState()
  const uploads = new Map<string, FolderStatus['pendingUploads'][number]['change']>()
  const downloads = new Set<string>()
  const onDisk = new Set<string>()
  const rules = await loadIgnoreRules(folder.root)
  // A file the last pass found it cannot send is listed as such (blocked), not as waiting to be sent.
  const cannotSend = new Set(state.blocked.filter((entry) => entry.side === 'here').map((entry) => entry.path))
  const {nested} = walkFolder(folder.root, rules, (file) => {
    onDisk.add(file.path)
    if (cannotSend.has(file.path)) return
    const local = state.get(file.path)?.local
    if (!local) uploads.set(file.path, 'new')
    else if (!sameStat(local, file.stat)) uploads.set(file.path, 'modified')
  })
  // A file a rule now ignores, or now inside a nested synced folder, is not deleted (the next pass marks it ignored).
  const nestedFolderOf = nestedFolderFinder(folder.root)
  for (const [path, record] of state.entries()) {
    if (record.local && !onDisk.has(path) && !record.ignored && !rules.ignores(path) && nestedFolderOf(path) === undefined) uploads.set(path, 'deleted')
  }
  for (const action of planActions(state.entries())) {
    if (action.type === 'upload' || action.type === 'move-remote') uploads.set(action.path, uploads.get(action.path) ?? 'modified')
    if (action.type === 'delete-remote') uploads.set(action.path, 'deleted')
    if (action.type === 'download' || action.type === 'delete-local' || action.type === 'move-local' || action.type === 'merge') downloads.add(action.path)
  }
  const status: FolderStatus = {
    root: folder.root,
    device: folder.config.device,
    encrypted: folder.config.encrypted === true,
    cursor: state.cursor,
    pendingUploads: [...uploads].map(([path, change]) => ({path, change})).sort((a, b) => a.path.localeCompare(b.path)),
    pendingDownloads: [],
    readOnly: client !== undefined && state.readOnlyAccess === client.accessKey,
    conflicts: [...onDisk].filter(isConflictCopy).sort(),
    kept: state.keptCount,
    unreadable: [...state.entries()].filter(([, r]) => r.unreadable).map(([path, r]) => ({path, reason: r.unreadable!})),
    nested,
    blocked: [...state.blocked],
    held: [...state.held],
    lastError: state.lastError(),
  }
  const watchLimit = state.watchLimit()
  if (watchLimit) status.watchLimit = watchLimit
  const paused = await pausedSince(folder.layout)
  if (paused !== undefined) status.pausedSince = paused
  const daemon = await readDaemonStatus(folder.layout)
  if (daemon) status.daemon = daemon
  const uiLink = daemon?.ui === undefined ? undefined : await readUiLink(folder.layout)
  if (uiLink) status.uiLink = uiLink
  if (client && folder.config.server) {
    const {url, namespace} = folder.config.server
    try {
      const page = await client.changes(state.cursor, {limit: PEEK_ENTRIES})
      for (const entry of page.entries) {
        downloads.add(entry.path)
        if (entry.from) downloads.add(entry.from)
      }
      status.server = {url, namespace, reachable: true, head: page.head}
    } catch (error) {
      // Refused as too old is an answer: the server is reachable.
      status.server = {url, namespace, reachable: error instanceof ClientTooOldError}
      if (error instanceof ClientTooOldError) status.clientTooOld = error.message
    }
    if (client.newerClient) status.newerClient = {version: client.newerClient, command: updateCommand(client.newerClient)}
  }
  status.pendingDownloads = [...downloads].sort()
  return status
}
