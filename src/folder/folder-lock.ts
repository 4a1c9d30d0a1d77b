/**
 * One syncing process per folder: `.sync/sync.lock` holds the pid of the process that syncs it (pid-lock.ts).
 * Plumbing commands do not lock: the chunk store is safe for many processes at once.
 */
import path from 'node:path'
import {FolderBusyError} from '../errors/folder-busy-error.js'
import {lockHolder, type PidLock, takePidLock} from '../util/pid-lock.js'

export type FolderLock = PidLock

/** The lock of the folder whose `.sync/` is `syncDir`. */
export const lockFile = (syncDir: string): string => path.join(syncDir, 'sync.lock')

export function lockFolder(syncDir: string, root: string): Promise<FolderLock> {
  return takePidLock(lockFile(syncDir), (pid) => new FolderBusyError(root, pid))
}

/** The pid of the process syncing the folder now (a daemon, a `sync once`), if any. */
export function folderHolder(syncDir: string): Promise<number | undefined> {
  return lockHolder(lockFile(syncDir))
}
