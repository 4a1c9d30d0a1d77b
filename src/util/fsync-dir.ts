import {closeSync, fsync, openSync} from 'node:fs'
import {promisify} from 'node:util'

/** fsync(2) of an open descriptor, on libuv's pool. */
export const fsyncFd = promisify(fsync)

/**
 * Makes a folder's entries (a created or renamed file) durable. Best effort where folders cannot be opened.
 * Only the fsync, which waits for the disk, goes to libuv's pool: opening and closing take microseconds, and a
 * trip to the pool and back a millisecond or more on a busy machine.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let fd
  try {
    fd = openSync(dir, 'r')
  } catch {
    return
  }
  try {
    await fsyncFd(fd)
  } catch (error) {
    // Some filesystems refuse fsync on a folder; the data itself was synced.
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL' && (error as NodeJS.ErrnoException).code !== 'EISDIR') throw error
  } finally {
    closeSync(fd)
  }
}
