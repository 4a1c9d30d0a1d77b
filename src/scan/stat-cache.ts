/**
 * When a file's stat says it is unchanged since it was hashed. Size, mtime, ctime and inode must all match,
 * and the file must not have been modified within the filesystem's timestamp granularity of the moment it was
 * hashed (git's "racily clean" entries): an edit in the same tick as the scan would otherwise keep the old
 * stat and be missed. Such files are hashed again at the next scan.
 */
import type {BigIntStats} from 'node:fs'
import type {LocalVersion} from '../state/path-record.js'

/** Coarse filesystems (FAT, HFS+) keep 1-2 s timestamps. */
export const RACY_WINDOW_NS = 2_000_000_000n

export function statUnchanged(local: LocalVersion, stat: BigIntStats): boolean {
  return (
    local.size === Number(stat.size) &&
    local.mtimeNs === stat.mtimeNs.toString() &&
    local.ctimeNs === stat.ctimeNs.toString() &&
    local.ino === stat.ino.toString() &&
    stat.mtimeNs + RACY_WINDOW_NS < BigInt(local.hashedAtNs)
  )
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n
}
