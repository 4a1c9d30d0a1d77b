/**
 * A lock: a symlink whose target is the pid of the process that holds it (as Emacs locks files). Making a link is
 * atomic and fails when the name exists, so two cannot both take it, and the pid is there from the first
 * instant (a file written after its O_EXCL create is empty for a moment, and was once read as a stale lock). A
 * short link needs no data block either: the lock can be taken on a full disk, to send changes without space.
 * A holder may say what it is after its pid (`1234:daemon`): others can tell a daemon that is starting, and will
 * take requests, from a one-off command. Readers of earlier versions read the pid and ignore the rest.
 * A lock left by a process that died (SIGKILL, power cut) is taken over. Used for one syncing process per folder
 * and one server per data folder.
 */
import {readFile, readlink, rename, symlink, unlink} from 'node:fs/promises'
import {tempPathFor} from './temp-path.js'

export interface PidLock {
  release(): Promise<void>
}

/** Whether a process with this pid runs (one of another user's counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Who holds a lock: its pid, and what it said it is. */
export interface LockHolder {
  pid: number
  role?: string
}

/**
 * Takes the lock at `file` (as `role`, when given), or throws `busy(pid)` (pid -1 when it kept changing hands)
 * while a live process holds it.
 */
export async function takePidLock(file: string, busy: (pid: number) => Error, role?: string): Promise<PidLock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await symlink(role === undefined ? String(process.pid) : `${process.pid}:${role}`, file)
      return {release: () => unlink(file).catch(() => {})}
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = Number.parseInt(await lockText(file), 10)
    if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) throw busy(holder)
    // Stale: move it aside atomically (only one taker wins the rename), then try again.
    const aside = tempPathFor(file)
    if (
      await rename(file, aside).then(
        () => true,
        () => false,
      )
    )
      await unlink(aside).catch(() => {})
  }
  throw busy(-1)
}

/** The live process that holds the lock at `file`, or undefined when none does. */
export async function lockHolder(file: string): Promise<LockHolder | undefined> {
  const [pidText = '', role] = (await lockText(file)).trim().split(':', 2)
  const pid = Number(pidText)
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return undefined
  return role === undefined ? {pid} : {pid, role}
}

/** What a lock says: a link's target, or the text of a lock file written by an earlier version. */
async function lockText(file: string): Promise<string> {
  try {
    return await readlink(file)
  } catch {
    return readFile(file, 'utf8').catch(() => '')
  }
}
