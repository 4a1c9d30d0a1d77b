/** A file opened to be hashified, as its readers (this thread's or the hashing thread's) see it. */
import type {BigIntStats} from 'node:fs'

/** What tells that a file changed: its size, mtime and ctime. */
export type FileTimes = Pick<BigIntStats, 'size' | 'mtimeNs' | 'ctimeNs'>

export interface OpenFile {
  path: string
  /** Open to read (read-fd.ts): closed by whoever opened it. */
  fd: number
  /** The size when opened: reading stops there. */
  size: number
  /** Throws FileAccessError 'changed' unless `now` is as the file was when opened. */
  check(now: FileTimes): void
}
