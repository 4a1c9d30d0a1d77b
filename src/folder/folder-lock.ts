/**
 * One syncing process per folder: `.sync/sync.lock` holds the pid of the process that syncs it (pid-lock.ts), and
 * `:daemon` after it when that process is a daemon (it takes the passes and requests other commands hand it).
 * Plumbing commands do not lock: the chunk store is safe for many processes at once.
 */
import {statSync} from 'node:fs'
import path from 'node:path'
import {FolderBusyError} from '../errors/folder-busy-error.js'
import {lockHolder, type PidLock, takePidLock} from '../util/pid-lock.js'

export type FolderLock = PidLock

/** What the process syncing a folder is: a daemon, or a one-off command (`sync once`, `sync restore`). */
export type LockRole = 'daemon' | 'command'

const DAEMON = 'daemon'

/** The lock of the folder whose `.sync/` is `syncDir`. */
export const lockFile = (syncDir: string): string => path.join(syncDir, 'sync.lock')

/**
 * A daemon's lock also names the `.sync/` it holds (device and inode; the daemon keeps it open, so its inode stays
 * the same even where inodes are numbered anew once nothing holds them): in a copy of the folder (a backup
 * restored beside it, with the daemon still running on the original) the copied lock is stale, and `sync once`
 * there syncs the copy itself instead of handing its pass to a daemon that never sees it. A command's lock names
 * none (it may not hold the folder open), but takes a lock that names another place as stale.
 */
export function lockFolder(syncDir: string, root: string, role: LockRole = 'command'): Promise<FolderLock> {
  const daemon = role === 'daemon'
  return takePidLock(lockFile(syncDir), (pid) => new FolderBusyError(root, pid), {
    role: daemon ? DAEMON : undefined,
    place: placeOf(syncDir),
    namePlace: daemon,
  })
}

/** The pid of the process syncing the folder now (a daemon, a `sync once`), if any. */
export async function folderHolder(syncDir: string): Promise<number | undefined> {
  return (await lockHolder(lockFile(syncDir), placeOf(syncDir)))?.pid
}

/** The pid of the daemon syncing the folder now, if one does and took the lock as a daemon (from its first instant). */
export async function daemonHolder(syncDir: string): Promise<number | undefined> {
  const holder = await lockHolder(lockFile(syncDir), placeOf(syncDir))
  return holder?.role === DAEMON ? holder.pid : undefined
}

/** The identity of the folder `.sync/` is (device.inode), or undefined when it cannot be read. */
function placeOf(syncDir: string): string | undefined {
  const stat = statSync(syncDir, {throwIfNoEntry: false, bigint: true})
  return stat && `${stat.dev}.${stat.ino}`
}
