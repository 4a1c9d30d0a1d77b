import {open} from 'node:fs/promises'

/** Makes a folder's entries (a created or renamed file) durable. Best effort where folders cannot be opened. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
  } catch {
    return
  }
  try {
    await handle.sync()
  } catch (error) {
    // Some filesystems refuse fsync on a folder; the data itself was synced.
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL' && (error as NodeJS.ErrnoException).code !== 'EISDIR') throw error
  } finally {
    await handle.close()
  }
}
