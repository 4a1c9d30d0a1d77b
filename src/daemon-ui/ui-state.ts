/**
 * What the web page shows of the folder, in one answer: its state in a word, what is pending, the conflict
 * copies, held deletions, what could not sync, the last error and the daemon's recent lines. Read as `sync
 * status` reads it (src/sync/folder-status.ts: from disk and the saved state, changing nothing), without asking
 * the server: the daemon's own state says whether the server answers.
 */
import {lstat} from 'node:fs/promises'
import path from 'node:path'
import {resolveServerSettings} from '../folder/server-settings.js'
import type {SyncFolder} from '../folder/sync-folder.js'
import {conflictCopyOrigin} from '../merge/conflict-name.js'
import type {BlockedPath, LastError} from '../state/folder-state.js'
import type {DaemonActivity} from '../sync/daemon-status.js'
import {describeHolds} from '../sync/describe-holds.js'
import {folderStatus, type FolderStatus} from '../sync/folder-status.js'
import type {ActivityLine, ActivityLog} from './activity-log.js'

/** The folder in a word; held: deletions wait for a decision (`sync approve-deletes` or `sync restore --held`). */
export type FolderSummary = 'synced' | 'syncing' | 'paused' | 'offline' | 'held'

export interface UiState {
  folder: string
  device: string
  server: {url: string; namespace: string}
  summary: FolderSummary
  daemon?: DaemonActivity
  pausedSince?: number
  pendingUploads: FolderStatus['pendingUploads']
  pendingDownloads: string[]
  /**
   * `stamp` changes whenever either side changes (sizes and mtimes): the page shows a conflict's diff again then.
   * A copy is written before the other version takes the path (resolve-conflict.ts), so a diff read between the
   * two writes shows the copy against itself.
   */
  conflicts: {copy: string; path: string; device: string; time: number; stamp: string}[]
  /** Groups of held deletions: how many, from which device (absent: this one), why, and the guard's window's count. */
  held: {count: number; from?: string; why: string; lately?: {count: number; minutes: number}}[]
  blocked: BlockedPath[]
  lastError?: LastError
  activity: readonly ActivityLine[]
}

const BUSY = new Set(['scanning', 'receiving', 'sending'])

/** The page lists this many conflicts at most: only their sides are looked at. */
export const CONFLICTS_SHOWN = 20

async function stampOf(root: string, relative: string): Promise<string> {
  const stat = await lstat(path.join(root, relative)).catch(() => undefined)
  return stat ? `${stat.size}:${stat.mtimeMs}` : '-'
}

async function conflictsOf(root: string, copies: readonly string[]): Promise<UiState['conflicts']> {
  const shown = copies.flatMap((copy) => {
    const origin = conflictCopyOrigin(copy)
    return origin ? [{copy, ...origin}] : []
  })
  return Promise.all(
    shown.map(async (conflict, index) => ({
      ...conflict,
      stamp: index < CONFLICTS_SHOWN ? `${await stampOf(root, conflict.path)} ${await stampOf(root, conflict.copy)}` : '',
    })),
  )
}

export async function uiState(folder: SyncFolder, daemon: DaemonActivity | undefined, activity: ActivityLog): Promise<UiState> {
  const status = await folderStatus(folder)
  const {url, namespace} = resolveServerSettings(folder.config)
  const held = describeHolds(status.held.filter((h) => h.why !== 'read-only')).map(({event}) => ({
    count: event.count ?? 1,
    ...(event.direction === 'down' && event.from ? {from: event.from} : {}),
    why: event.why ?? 'mass-delete',
    ...(event.lately ? {lately: event.lately} : {}),
  }))
  const pending = status.pendingUploads.length + status.pendingDownloads.length > 0
  const summary: FolderSummary =
    status.pausedSince !== undefined
      ? 'paused'
      : daemon?.state === 'offline'
        ? 'offline'
        : held.length > 0
          ? 'held'
          : BUSY.has(daemon?.state ?? '') || pending
            ? 'syncing'
            : 'synced'
  return {
    folder: status.root,
    device: status.device,
    server: {url, namespace},
    summary,
    ...(daemon ? {daemon} : {}),
    ...(status.pausedSince !== undefined ? {pausedSince: status.pausedSince} : {}),
    pendingUploads: status.pendingUploads,
    pendingDownloads: status.pendingDownloads,
    conflicts: await conflictsOf(status.root, status.conflicts),
    held,
    blocked: status.blocked,
    ...(status.lastError ? {lastError: status.lastError} : {}),
    activity: activity.list(),
  }
}
