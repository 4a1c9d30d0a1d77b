/**
 * When a file's stat says it is unchanged since it was hashed. Size, mtime, ctime and inode must all match,
 * and the file must not have been modified within the filesystem's timestamp granularity of the moment it was
 * hashed (git's "racily clean" entries): an edit in the same tick as the scan would otherwise keep the old
 * stat and be missed. Such files are hashed again at the next scan.
 *
 * Times are node's plain `mtimeMs`/`ctimeMs` (a double: about a quarter of a microsecond near today), not
 * bigint nanoseconds: a bigint stat costs a third more per file, and the precision lost cannot hide an edit.
 * An edit after the hashing moves mtime past the racy window, far more than a microsecond, and one that
 * puts mtime back (`touch -d`) still moves ctime to now.
 */
import type {Stats} from 'node:fs'
import type {LocalVersion, PathRecord} from '../state/path-record.js'

/**
 * Coarse filesystems (FAT, HFS+) keep 1-2 s timestamps; ext4, XFS, btrfs and APFS keep nanoseconds, updated at
 * the kernel's tick (a few ms). An mtime with a sub-second part proves the fine kind.
 */
const COARSE_WINDOW_MS = 2000
const FINE_WINDOW_MS = 50

function racyWindowMs(mtimeMs: number): number {
  return mtimeMs % 1000 === 0 ? COARSE_WINDOW_MS : FINE_WINDOW_MS
}

/** The stat fields a scan compares (a file's, or a symlink's own). */
export type StatStamp = Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>

/** What was recorded of a file when it was hashed. */
export type HashedStat = Pick<LocalVersion, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino' | 'hashedAtMs'>

/** Same size, mtime, ctime and inode as when it was hashed. */
export function sameStat(local: HashedStat, stat: StatStamp): boolean {
  return local.size === stat.size && local.mtimeMs === stat.mtimeMs && local.ctimeMs === stat.ctimeMs && local.ino === stat.ino
}

/**
 * From when a file last modified at `mtimeMs` can be recorded as cleanly hashed (statUnchanged trusts its stat),
 * or undefined on a coarse clock (waiting seconds for that is not worth a read).
 */
export function cleanFrom(mtimeMs: number): number | undefined {
  const window = racyWindowMs(mtimeMs)
  return window === FINE_WINDOW_MS ? mtimeMs + window + 1 : undefined
}

/** Same stat, and not modified within the racy window of its hashing: safe to skip reading it. */
export function statUnchanged(local: HashedStat, stat: StatStamp): boolean {
  return sameStat(local, stat) && stat.mtimeMs + racyWindowMs(stat.mtimeMs) < local.hashedAtMs
}

/**
 * Whether a scan takes the path as its record says, reading nothing: a tracked file (not ignored, not unreadable
 * at the last look) whose stat is unchanged since it was hashed.
 */
export function recordedClean(record: Pick<PathRecord, 'local' | 'ignored' | 'unreadable'> | undefined, stat: StatStamp): boolean {
  return record?.local !== undefined && !record.ignored && !record.unreadable && statUnchanged(record.local, stat)
}
