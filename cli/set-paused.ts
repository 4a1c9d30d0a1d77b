/**
 * `sync pause` and `sync resume`: the folder's pause switch (src/folder/pause.ts), and, when a daemon syncs the
 * folder, a bounded wait until it says (in its status file) that it has stopped or started syncing, so that what
 * the command prints is already true.
 */
import {findRoot} from '#src/folder/find-root.js'
import {folderHolder} from '#src/folder/folder-lock.js'
import {folderLayout} from '#src/folder/layout.js'
import {pauseFolder, resumeFolder} from '#src/folder/pause.js'
import {readDaemonStatus} from '#src/sync/daemon-status.js'

export interface PauseResult {
  root: string
  paused: boolean
  /** When it was paused (ms since the epoch). */
  since?: number
  /** Whether this command changed it (false: it already was). */
  changed: boolean
  /** The pid of the daemon syncing the folder, and whether it said it follows within the wait. */
  daemon?: {pid: number; following: boolean}
}

export async function setPaused(startDir: string, paused: boolean, waitMs = 10_000): Promise<PauseResult> {
  const layout = folderLayout(await findRoot(startDir))
  let result: PauseResult
  if (paused) {
    const before = Date.now()
    const since = await pauseFolder(layout)
    result = {root: layout.root, paused, since, changed: since >= before}
  } else result = {root: layout.root, paused, changed: await resumeFolder(layout)}
  const pid = await folderHolder(layout.syncDir)
  if (pid === undefined) return result
  const deadline = Date.now() + waitMs
  let following = false
  while (!following && Date.now() < deadline) {
    const state = (await readDaemonStatus(layout))?.state
    following = state !== undefined && (state === 'paused') === paused
    if (!following) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {...result, daemon: {pid, following}}
}
