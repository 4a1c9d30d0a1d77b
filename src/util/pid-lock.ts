/**
 * A lock file holding the pid of the process that holds it, created with O_EXCL so that two cannot both take
 * it. A lock left by a process that died (SIGKILL, power cut) is taken over. Used for one syncing process per
 * folder and one server per data folder.
 */
import {open, readFile, rename, unlink} from 'node:fs/promises'
import {tempPathFor} from './temp-path.js'

export interface PidLock {
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

/** Takes the lock at `file`, or throws `busy(pid)` (pid -1 when it kept changing hands) while a live process holds it. */
export async function takePidLock(file: string, busy: (pid: number) => Error): Promise<PidLock> {
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
    if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) throw busy(holder)
    // Stale: move it aside atomically (only one taker wins the rename), then try again.
    const aside = tempPathFor(file)
    if (await rename(file, aside).then(() => true, () => false)) await unlink(aside).catch(() => {})
  }
  throw busy(-1)
}
