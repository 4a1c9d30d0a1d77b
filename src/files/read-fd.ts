/**
 * Reading a file by descriptor, each operation where it costs least. Opening a file to read it, fstat, a read of
 * a few KB from the page cache and closing it take microseconds: they are made on this thread, since waking a pool
 * thread and being woken back costs more (10,000 recipes read through FileHandles: 0.83 s of CPU against 0.28 s;
 * a first sync's `sync once` 0.7 s faster), and more again when other work keeps the cores busy. Big reads go to
 * the pool. Writing stays on FileHandles (files/save-file.ts): creating and renaming files take their folder's
 * lock and the journal, and written with fewer trips more creates ran at once on those locks (a first sync writing
 * 10,050 files: 0.5 s less user time, 0.3-0.6 s more system time, the same wall time; docs/benchmarks.md).
 */
import {closeSync, constants, openSync, read, readSync} from 'node:fs'
import {promisify} from 'node:util'

/** Reads up to this size are made on this thread. */
const READ_HERE_BYTES = 64 * 1024

const readOnPool = promisify(read)

/**
 * Opens a file to read. O_NONBLOCK makes a FIFO put where a file was open at once rather than block this thread
 * (the caller's fstat then refuses it); for a regular file it changes nothing. With `noFollow`, a symlink is
 * refused (ELOOP).
 */
export function openToRead(path: string, noFollow: boolean): number {
  return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0))
}

export async function readAt(fd: number, into: Buffer, at: number, length: number, position: number): Promise<number> {
  if (length <= READ_HERE_BYTES) return readSync(fd, into, at, length, position)
  return (await readOnPool(fd, into, at, length, position)).bytesRead
}

/** A file opened to read waits on nothing when closed. */
export function closeFile(fd: number): void {
  closeSync(fd)
}
