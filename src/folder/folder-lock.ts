/**
 * One syncing process per folder: `.sync/sync.lock` holds the pid of the process that syncs it (pid-lock.ts), and
 * `:daemon` after it when that process is a daemon (it takes the passes and requests other commands hand it).
 * Plumbing commands do not lock: the chunk store is safe for many processes at once.
 */
import path from 'node:path'
import {FolderBusyError} from '../errors/folder-busy-error.js'
import {lockHolder, type PidLock, takePidLock} from '../util/pid-lock.js'

export type FolderLock = PidLock

/** What the process syncing a folder is: a daemon, or a one-off command (`sync once`, `sync restore`). */
export type LockRole = 'daemon' | 'command'

const DAEMON = 'daemon'

/** The lock of the folder whose `.sync/` is `syncDir`. */
export const lockFile = (syncDir: string): string => path.join(syncDir, 'sync.lock')

export function lockFolder(syncDir: string, root: string, role: LockRole = 'command'): Promise<FolderLock> {
  return takePidLock(lockFile(syncDir), (pid) => new FolderBusyError(root, pid), role === 'daemon' ? DAEMON : undefined)
}

/** The pid of the process syncing the folder now (a daemon, a `sync once`), if any. */
export async function folderHolder(syncDir: string): Promise<number | undefined> {
  return (await lockHolder(lockFile(syncDir)))?.pid
}

/** The pid of the daemon syncing the folder now, if one does and took the lock as a daemon (from its first instant). */
export async function daemonHolder(syncDir: string): Promise<number | undefined> {
  const holder = await lockHolder(lockFile(syncDir))
  return holder?.role === DAEMON ? holder.pid : undefined
}
