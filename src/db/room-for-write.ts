/**
 * A database write starts only with room for it on the disk. lmdb-js 3.5.6 reports a page write that fails
 * (ENOSPC) by formatting its message into a 100-byte buffer that the message can overrun (the lengths of unused
 * write vectors are printed too, whatever they hold): the heap is corrupted and the process dies ("malloc():
 * invalid next size", met by a daemon on a full disk). So a full disk must be seen before LMDB writes a page, the
 * way Syncthing keeps a minimum of free space: a write is refused (NoSpaceError) unless the disk has RESERVE_BYTES
 * free and twice what the caller says the transaction writes (copy-on-write: new pages beside the old ones until
 * the commit). A failed commit is still handled (commit-failure.ts), for what another program fills meanwhile.
 */
import {statfsSync, type StatsFs} from 'node:fs'
import {statfs} from 'node:fs/promises'
import {NoSpaceError} from '../errors/index.js'

/** Left free by every database write: small transactions (a few pages) never come near it. */
export const RESERVE_BYTES = 4 * 2 ** 20

const available = (disk: StatsFs) => disk.bavail * disk.bsize

/** Bytes the disk holding `dir` has free for this process, or undefined when the OS does not say. */
export async function freeBytes(dir: string): Promise<number | undefined> {
  const disk = await statfs(dir).catch(() => undefined)
  return disk && available(disk)
}

/** Throws NoSpaceError, having written nothing, when the disk of `dir` has no room for a write of `bytes`. */
export async function ensureRoom(dir: string, bytes = 0): Promise<void> {
  refuseWithout(await freeBytes(dir), dir, bytes)
}

/** ensureRoom, on this thread: before a database is created (lmdb-js's SIGBUS on a full disk), which is rare. */
export function ensureRoomSync(dir: string): void {
  let disk: StatsFs | undefined
  try {
    disk = statfsSync(dir)
  } catch {
    // The OS does not say: the write goes on, as ensureRoom's.
  }
  refuseWithout(disk && available(disk), dir, 0)
}

function refuseWithout(free: number | undefined, dir: string, bytes: number): void {
  const needed = RESERVE_BYTES + 2 * bytes
  if (free === undefined || free >= needed) return
  throw new NoSpaceError(
    `no space left for a database write: free some and try again (${megabytes(free)} free on the disk of ${dir}; a database write leaves at least ${megabytes(RESERVE_BYTES)})`,
  )
}

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`
