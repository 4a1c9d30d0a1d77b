/**
 * Rebuilds a file from stored chunks: all-or-nothing. Missing chunks are named before anything is written;
 * the bytes go to a temp file next to the target, are fsynced, and replace the target by rename, so a reader
 * (or a crash) sees the old file or the new one, never a mix.
 */
import {close, closeSync, fchmodSync, fstat, fstatSync, mkdirSync, open, openSync, write, writeSync, writev, writevSync} from 'node:fs'
import {lstat, rename, unlink} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import {hexToKey, keyToHex} from '../chunk/hash.js'
import {IdList} from '../chunk/id-list.js'
import {CorruptDataError, FileAccessError, MissingChunksError} from '../errors/index.js'
import {checkReplaceable} from './replaceable.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {fsyncDir, fsyncFd} from '../util/fsync-dir.js'
import {tempPathFor} from '../util/temp-path.js'
import {UMASK} from '../util/umask.js'

const WRITE_BATCH_BYTES = 1024 * 1024
/**
 * A file up to this size is written with one synchronous call (and, written alone, opened, stat'ed and closed
 * with synchronous calls too: SaveOptions.inBatch); only its fsync (which waits for the disk) goes to libuv's
 * pool: each trip there waits for a pool thread and then for the main thread, a millisecond or more each on a
 * busy machine, and a recipe's write took eight of them.
 */
const SYNC_WRITE_BYTES = 64 * 1024
const writevFd = promisify(writev)
const writeFd = promisify(write)
const openFd = promisify(open)
const fstatFd = promisify(fstat)
const closeFd = promisify(close)

/** How a temp file is created, stat'ed and closed: through libuv's pool (SaveOptions.inBatch) or on this thread. */
const FILE_CALLS = {
  pooled: {create: (temp: string, mode: number) => openFd(temp, 'wx', mode), fstat: fstatFd, close: closeFd},
  direct: {create: (temp: string, mode: number) => openSync(temp, 'wx', mode), fstat: fstatSync, close: closeSync},
}

export interface SaveOptions {
  /** File mode for a new file (an existing file keeps its own unless this is set). */
  mode?: number
  /** Create missing parent folders (the engine does; the plumbing command does not). */
  makeParents?: boolean
  /** Called once the temp file is complete and synced, just before it is renamed into place. */
  beforeRename?: (tempPath: string) => Promise<void> | void
  /**
   * Leave the folder's fsync (which makes the rename durable) to the caller, who writes many files and syncs
   * each folder once afterwards, before it records anything about them.
   */
  deferFolderSync?: boolean
  /** The size the version claims: bytes that make another size are refused before they replace anything. */
  size?: number
  /**
   * One of many files written at once (a batch of downloads): its open, stat and close go to libuv's pool, where
   * their kernel time runs beside this thread's work on the other files (creating a file costs 100-150 us of
   * kernel time here: 1.5 s of a first sync's 10,000 files, all on the main thread when synchronous). A file
   * written alone keeps the synchronous calls (SYNC_WRITE_BYTES: a trip to the pool costs an edit more).
   */
  inBatch?: boolean
}

/** The temp file as it was once durable (read after its fsync): its mtime and inode. */
export interface SyncedTemp {
  mtimeMs: number
  ino: number
}

/** `ids`: hex ids (from the user) or an IdList (a manifest's, read by key without going through hex). */
export async function saveFile(store: ChunkStore, filePath: string, ids: readonly string[] | IdList, options: SaveOptions = {}): Promise<{size: number}> {
  const {temp, size} = await writeTempFile(store, filePath, ids, options)
  try {
    await options.beforeRename?.(temp)
    await rename(temp, filePath)
  } catch (error) {
    await unlink(temp).catch(() => {})
    throw error
  }
  if (!options.deferFolderSync) await fsyncDir(path.dirname(filePath))
  return {size}
}

/**
 * The first half of a save: the bytes in a temp file next to `filePath`, fsynced and closed; the caller renames it
 * into place (or removes it). Nothing is left behind when this throws.
 */
export async function writeTempFile(
  store: ChunkStore,
  filePath: string,
  ids: readonly string[] | IdList,
  options: Pick<SaveOptions, 'mode' | 'makeParents' | 'size' | 'inBatch'> = {},
): Promise<{temp: string; size: number; synced: SyncedTemp}> {
  // Keys one at a time, not a list of them: a 1 GB text file has 670,000 ids (an array of keys was ~50 MB).
  const keyAt = ids instanceof IdList ? (i: number) => ids.keyAt(i) : (i: number) => hexToKey(ids[i])
  store.refresh()
  const missing = new Set<string>()
  for (let i = 0; i < ids.length; i++) {
    const key = keyAt(i)
    if (!store.hasKey(key)) missing.add(keyToHex(key))
  }
  if (missing.size > 0) throw new MissingChunksError([...missing])
  // With a mode given (the engine), a folder in the way fails the rename (EISDIR) and nothing else is needed;
  // without, the existing file's mode is kept and a folder in the way is named before anything is written.
  const existing = options.mode === undefined ? await lstat(filePath).catch(() => undefined) : undefined
  checkReplaceable(filePath, existing)
  const temp = tempPathFor(filePath)
  const mode = options.mode ?? (existing?.isFile() ? existing.mode & 0o7777 : 0o666)
  const calls = options.inBatch ? FILE_CALLS.pooled : FILE_CALLS.direct
  let fd: number | undefined
  try {
    fd = await openNew(temp, mode, options.makeParents === true, calls.create)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // No folder there, or a file where the folder should be.
    if (code === 'ENOTDIR' || (code === 'ENOENT' && !options.makeParents)) throw new FileAccessError(filePath, 'no-parent', {cause: error})
    throw FileAccessError.from(filePath, error) ?? error
  }
  let size = 0
  let synced: SyncedTemp
  try {
    const pending: Buffer[] = []
    let pendingBytes = 0
    for (let i = 0; i < ids.length; i++) {
      const key = keyAt(i)
      const chunk = store.readKeyAtHand(key) ?? (await store.readKey(key))
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes >= WRITE_BATCH_BYTES) {
        size += await writeAll(fd, pending)
        pending.length = 0
        pendingBytes = 0
      }
    }
    size += pendingBytes <= SYNC_WRITE_BYTES ? writeAllSync(fd, pending) : await writeAll(fd, pending)
    if (options.size !== undefined && size !== options.size) {
      throw new CorruptDataError(`${filePath}: its chunks make ${size} bytes, not the ${options.size} its version claims`, {size, claimed: options.size})
    }
    // open() applied the mode minus the umask: chmod only for bits the umask took away.
    if (options.mode !== undefined && (options.mode & UMASK) !== 0) fchmodSync(fd, options.mode)
    await fsyncFd(fd)
    const {mtimeMs, ino} = await calls.fstat(fd)
    synced = {mtimeMs, ino}
    await calls.close(fd)
    fd = undefined
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd)
    await unlink(temp).catch(() => {})
    throw error
  }
  return {temp, size, synced}
}

/** Creates the temp file; its folder is made only when missing (most writes go to folders that exist). */
async function openNew(temp: string, mode: number, makeParents: boolean, create: (temp: string, mode: number) => number | Promise<number>): Promise<number> {
  try {
    return await create(temp, mode)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !makeParents) throw error
    mkdirSync(path.dirname(temp), {recursive: true})
    return await create(temp, mode)
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // Closing after a failed write: the write's error is the one to report.
  }
}

const total = (chunks: readonly Buffer[]) => chunks.reduce((n, c) => n + c.length, 0)

async function writeAll(fd: number, chunks: Buffer[]): Promise<number> {
  if (chunks.length === 0) return 0
  const {bytesWritten: written} = await writevFd(fd, chunks)
  // A short writev: write the rest in one piece.
  if (written < total(chunks)) await writeFd(fd, Buffer.concat(chunks).subarray(written))
  return total(chunks)
}

function writeAllSync(fd: number, chunks: Buffer[]): number {
  if (chunks.length === 0) return 0
  const written = writevSync(fd, chunks)
  // A short writev: write the rest in one piece, as writeAll does.
  if (written < total(chunks)) writeSync(fd, Buffer.concat(chunks).subarray(written))
  return total(chunks)
}
