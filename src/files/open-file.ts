/** A file opened to be hashified, as its readers (this thread's or the hashing thread's) see it. */
import type {BigIntStats} from 'node:fs'
import type {FileHandle} from 'node:fs/promises'

/** What tells that a file changed: its size, mtime and ctime. */
export type FileTimes = Pick<BigIntStats, 'size' | 'mtimeNs' | 'ctimeNs'>

export interface OpenFile {
  path: string
  handle: FileHandle
  /** The size when opened: reading stops there. */
  size: number
  /** Throws FileAccessError 'changed' unless `now` is as the file was when opened. */
  check(now: FileTimes): void
}
