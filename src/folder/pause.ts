/**
 * A paused folder: `.sync/paused` (written atomically, kept across restarts) holds when it was paused. A running
 * daemon watches for it and stops syncing (it keeps watching, so nothing is missed; it rescans when resumed);
 * `sync once` and `sync restore` refuse (FolderPausedError) unless forced.
 */
import {readFile, unlink} from 'node:fs/promises'
import {FolderPausedError} from '../errors/index.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {writeFileAtomic} from '../util/write-file-atomic.js'
import type {FolderLayout} from './layout.js'

/** When the folder was paused (ms since the epoch), or undefined when it is not. */
export async function pausedSince(layout: FolderLayout): Promise<number | undefined> {
  let text
  try {
    text = await readFile(layout.paused, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  // A file damaged by hand still means paused (since an unknown time: 0).
  try {
    const since = (JSON.parse(text) as {since?: unknown}).since
    return typeof since === 'number' ? since : 0
  } catch {
    return 0
  }
}

/** Pauses the folder (again: keeps the first time); returns since when. */
export async function pauseFolder(layout: FolderLayout): Promise<number> {
  const since = (await pausedSince(layout)) ?? Date.now()
  await writeFileAtomic(layout.paused, `${JSON.stringify({since})}\n`)
  return since
}

/** Resumes the folder; returns whether it was paused. */
export async function resumeFolder(layout: FolderLayout): Promise<boolean> {
  try {
    await unlink(layout.paused)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
  await fsyncDir(layout.syncDir)
  return true
}

/** Throws FolderPausedError when the folder is paused. */
export async function refuseIfPaused(layout: FolderLayout): Promise<void> {
  const since = await pausedSince(layout)
  if (since !== undefined) throw new FolderPausedError(layout.root, since)
}
