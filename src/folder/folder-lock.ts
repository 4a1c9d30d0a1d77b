/**
 * One syncing process per folder: `.sync/sync.lock` holds the pid of the process that syncs it (created with
 * O_EXCL, so two cannot both take it). A lock left by a process that died (SIGKILL, power cut) is taken over.
 * Plumbing commands do not lock: the chunk store is safe for many processes at once.
 */
import {open, readFile, rename, unlink} from 'node:fs/promises'
import path from 'node:path'
import {FolderBusyError} from '../errors/folder-busy-error.js'
import {tempPathFor} from '../util/temp-path.js'

export interface FolderLock {
  release(): Promise<void>
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function lockFolder(syncDir: string, root: string): Promise<FolderLock> {
  const file = path.join(syncDir, 'sync.lock')
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx')
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      return {release: () => unlink(file).catch(() => {})}
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10)
    if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) throw new FolderBusyError(root, holder)
    // Stale: move it aside atomically (only one taker wins the rename), then try again.
    const aside = tempPathFor(file)
    if (await rename(file, aside).then(() => true, () => false)) await unlink(aside).catch(() => {})
  }
  throw new FolderBusyError(root, -1)
}
