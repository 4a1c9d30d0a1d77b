/**
 * One syncing process per folder: `.sync/sync.lock` holds the pid of the process that syncs it (pid-lock.ts).
 * Plumbing commands do not lock: the chunk store is safe for many processes at once.
 */
import path from 'node:path'
import {FolderBusyError} from '../errors/folder-busy-error.js'
import {type PidLock, takePidLock} from '../util/pid-lock.js'

export type FolderLock = PidLock

export function lockFolder(syncDir: string, root: string): Promise<FolderLock> {
  return takePidLock(path.join(syncDir, 'sync.lock'), (pid) => new FolderBusyError(root, pid))
}
