/**
 * When a file's stat says it is unchanged since it was hashed. Size, mtime, ctime and inode must all match,
 * and the file must not have been modified within the filesystem's timestamp granularity of the moment it was
 * hashed (git's "racily clean" entries): an edit in the same tick as the scan would otherwise keep the old
 * stat and be missed. Such files are hashed again at the next scan.
 */
import type {BigIntStats} from 'node:fs'
import type {LocalVersion} from '../state/path-record.js'

/**
 * Coarse filesystems (FAT, HFS+) keep 1-2 s timestamps; ext4, XFS, btrfs and APFS keep nanoseconds, updated at
 * the kernel's tick (a few ms). An mtime with a sub-second part proves the fine kind.
 */
const COARSE_WINDOW_NS = 2_000_000_000n
const FINE_WINDOW_NS = 50_000_000n

export function racyWindow(mtimeNs: bigint): bigint {
  return mtimeNs % 1_000_000_000n === 0n ? COARSE_WINDOW_NS : FINE_WINDOW_NS
}

/** Same size, mtime, ctime and inode as when it was hashed. */
export function sameStat(local: LocalVersion, stat: BigIntStats): boolean {
  return local.size === Number(stat.size) && local.mtimeNs === stat.mtimeNs.toString() && local.ctimeNs === stat.ctimeNs.toString() && local.ino === stat.ino.toString()
}

/** Same stat, and not modified within the racy window of its hashing: safe to skip reading it. */
export function statUnchanged(local: LocalVersion, stat: BigIntStats): boolean {
  return sameStat(local, stat) && stat.mtimeNs + racyWindow(stat.mtimeNs) < BigInt(local.hashedAtNs)
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n
}
