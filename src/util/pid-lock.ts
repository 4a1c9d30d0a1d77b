/**
 * A lock: a symlink whose target is the pid of the process that holds it (as Emacs locks files). Making a link is
 * atomic and fails when the name exists, so two cannot both take it, and the pid is there from the first
 * instant (a file written after its O_EXCL create is empty for a moment, and was once read as a stale lock). A
 * short link needs no data block either: the lock can be taken on a full disk, to send changes without space.
 * A holder may say what it is after its pid (`1234:daemon`): others can tell a daemon that is starting, and will
 * take requests, from a one-off command. It may also say where it holds the lock (`1234:daemon:PLACE`, the
 * identity of the folder the lock is in): a lock copied with its folder (`cp -a`, a backup restored beside the
 * original) then names a live process that holds the original, not the copy, and is stale in the copy. Readers of
 * earlier versions read the pid and ignore the rest.
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

/** What a lock says: `pid`, `pid:role`, `pid:role:place` or `pid::place`. */
function parseLock(text: string): LockHolder & {place?: string} {
  const [pid, role, place] = text.trim().split(':', 3)
  return {pid: Number(pid), ...(role ? {role} : {}), ...(place ? {place} : {})}
}

/** Whether a live process holds the lock as `text` says, here: not when the lock names another place than `place`. */
function heldHere(holder: {pid: number; place?: string}, place: string | undefined): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0 || !processAlive(holder.pid)) return false
  return holder.place === undefined || place === undefined || holder.place === place
}

export interface LockOptions {
  /** What the holder says it is (after its pid). */
  role?: string
  /** Where the lock is taken: a lock that names another place is stale here. */
  place?: string
  /** Whether the lock names `place` (else `place` only tells a stale lock). */
  namePlace?: boolean
}

/**
 * Takes the lock at `file`, or throws `busy(pid)` (pid -1 when it kept changing hands) while a live process holds
 * it here.
 */
export async function takePidLock(file: string, busy: (pid: number) => Error, options: LockOptions = {}): Promise<PidLock> {
  const {role, place} = options
  const text =
    options.namePlace && place !== undefined ? `${process.pid}:${role ?? ''}:${place}` : role === undefined ? String(process.pid) : `${process.pid}:${role}`
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await symlink(text, file)
      return {release: () => unlink(file).catch(() => {})}
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = parseLock(await lockText(file))
    if (holder.pid !== process.pid && heldHere(holder, place)) throw busy(holder.pid)
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

/** The live process that holds the lock at `file` (at `place`, when given), or undefined when none does. */
export async function lockHolder(file: string, place?: string): Promise<LockHolder | undefined> {
  const {pid, role, place: held} = parseLock(await lockText(file))
  if (!heldHere({pid, place: held}, place)) return undefined
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
