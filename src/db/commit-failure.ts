/**
 * What made an LMDB commit fail. lmdb-js rejects the writes of a failed commit with a generic "Commit failed"
 * error whose `commitError` is a second promise, rejected with the real cause (errno as a number), that nobody
 * else ever handles: left alone it crashes the process as an unhandled rejection.
 */
import {NoSpaceError} from '../errors/index.js'
import {freeBytes} from './room-for-write.js'

const ERRNO_NAMES: Record<number, string> = {5: 'EIO', 28: 'ENOSPC', 122: 'EDQUOT'}

/** `error` as what caused it; a full disk as NoSpaceError. `dir` is the database's folder. */
export async function commitFailure(error: unknown, dir: string): Promise<unknown> {
  const pending = (error as {commitError?: unknown} | undefined)?.commitError
  if (!(pending instanceof Promise)) return error
  // Rejected by the time a write's rejection is seen (lmdb-js rejects it right after); a tick bounds the wait.
  const cause: unknown = await Promise.race([
    pending.then(
      () => undefined,
      (reason: unknown) => reason,
    ),
    new Promise((resolve) => setImmediate(resolve)),
  ])
  if (!(cause instanceof Error)) return error
  const errno = (cause as {code?: unknown}).code
  if (typeof errno === 'number' && ERRNO_NAMES[errno]) (cause as NodeJS.ErrnoException).code = ERRNO_NAMES[errno]
  if (NoSpaceError.from(cause)) return new NoSpaceError(`no space left for a database write: free some and try again (${cause.message})`, {cause})
  // A page write that failed for lack of space can be reported as the I/O error of the sync after it.
  if (errno !== 5 || !(await diskIsFull(dir))) return cause
  const full = Object.assign(new Error(`${cause.message}, on a full disk`, {cause}), {code: 'ENOSPC'})
  return new NoSpaceError(`no space left for a database write: free some and try again (${full.message})`, {cause: full})
}

async function diskIsFull(dir: string): Promise<boolean> {
  const free = await freeBytes(dir)
  // Less than a database page and its meta page left.
  return free !== undefined && free < 2 * 4096
}

/** `write`, with a failed commit thrown as what caused it. */
export async function committing<T>(write: Promise<T>, dir: string): Promise<T> {
  try {
    return await write
  } catch (error) {
    throw await commitFailure(error, dir)
  }
}
