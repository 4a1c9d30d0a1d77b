/**
 * Chunks a file, stores its chunks, and returns its version: kind, size and ids in order. Reads in pieces of
 * 1 MiB at most, so memory stays bounded whatever the file's size; the ids themselves take 32 bytes per chunk,
 * unless the caller takes them in batches (hashifyFileInBatches).
 *
 * Each piece is cut and hashed (piece-hasher.ts), on this thread for a small file, in a worker thread for a big
 * one, where hashing (most of the work) runs beside the storing here. The store takes a piece's chunks as one
 * run of bytes with their lengths (ChunkStore.addPiece): ids stay bytes from the hash to the index and the output.
 */
import {fstatSync, readSync} from 'node:fs'
import {cutModeOf} from '../chunk/cut.js'
import {type FileKind, type KindRules, DEFAULT_KIND_RULES, SNIFF_BYTES, kindByName, sniffKind} from '../chunk/file-kind.js'
import {IdList} from '../chunk/id-list.js'
import {FileAccessError} from '../errors/index.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {closeFile, openToRead} from './read-fd.js'
import type {FileTimes, OpenFile} from './open-file.js'
import {piecesInThread} from './pieces-in-thread.js'
import {HASH_THREAD_MIN_BYTES} from './hash-thread-pool.js'
import {piecesInWorker} from './hash-threads.js'

/**
 * Ids handed over at a time by hashifyFileInBatches: 4 MiB of ids, 130,000 lines of text, and as many index
 * entries at most per flush (each flush is an index segment). Measured on 100 MB of text: 512 Ki ids per batch
 * peaked at about 225 MB, 128 Ki at 181 MB, in the same time (26 flushes instead of 8 cost under 2%).
 */
const ID_BATCH = 128 * 1024
/** Room past a batch for the ids of the piece that fills it (lines of 16 bytes or more), so the list never regrows. */
const ID_HEADROOM = (1024 * 1024) / 16

export interface HashedFile {
  path: string
  kind: FileKind
  size: number
  ids: IdList
  /** What the file looked like when it was read: size, mtime and ctime in nanoseconds, inode, mode. */
  stat: {size: number; mtimeNs: bigint; ctimeNs: bigint; ino: bigint; mode: number}
}

/** A file hashified in batches: its ids went to the caller, this is how many there were. */
export type BatchedFile = Omit<HashedFile, 'ids'> & {chunks: number}

export interface HashifyOptions {
  rules?: KindRules
  /** Called after each piece read, with the bytes read so far. */
  onProgress?: (bytesRead: number) => void
  /** Refuse a symlink (not-a-file) instead of reading its target: the scanner syncs links as links. */
  noFollow?: boolean
  /** Files at least this large are read and hashed in a worker thread, beside the storing (default 8 MiB: hash-thread-pool.ts). */
  workerMinBytes?: number
  /**
   * The file's previous version, when known (a scan's record): its ids per byte size the new list once. Grown
   * by doubling and trimmed by a copy, a 1 GB text file's 21 MB of ids took 53 MB at once (room 32, copy 21).
   */
  previous?: {size: number; chunks: number}
}

export async function hashifyFile(store: ChunkStore, filePath: string, options: HashifyOptions = {}): Promise<HashedFile> {
  return withOpenFile(filePath, options, async (file) => {
    // Sized for the file: a small file's list is kept in its manifest.
    const estimated = expectedIds(file.size, options.previous)
    const ids = new IdList(Math.max(Math.min(64, Math.ceil(file.size / 40) + 1), estimated))
    const hashed = await chunkInto(store, file, ids, options, estimated > 0 ? undefined : sizeFromFirstPieces(ids, file.size))
    return {...hashed, ids: ids.trim()}
  })
}

/** Bytes read before a new file's ids per byte are taken as the whole file's (sizeFromFirstPieces). */
const ESTIMATE_AFTER_BYTES = 4 * 1024 * 1024

/**
 * For a big file without a previous version: once its first pieces are cut, its list is given room for the ids
 * the rest will bring at the same rate, 2% over (as expectedIds), so that it is not grown by doubling (the old and
 * the new buffer held at once) and trimmed by a copy: a new 1 GB text file's 21 MB of ids took 53 MB.
 */
function sizeFromFirstPieces(ids: IdList, size: number): (read: number) => void {
  let sized = false
  return (read) => {
    if (sized || read < ESTIMATE_AFTER_BYTES || read >= size) return
    sized = true
    ids.reserve(expectedIds(size, {size: read, chunks: ids.length}))
  }
}

/**
 * hashifyFile for files whose ids are too many to keep (a 100 MB text file has 3.9 million lines: 125 MB of
 * ids): `onIds` gets them in order, in batches, each once its chunks are durable (the store is flushed first)
 * and the file is known unchanged since it was opened. The list is reused after `onIds` resolves. If the file
 * changes or a read fails later, the batches already handed over are a prefix of its ids.
 */
export async function hashifyFileInBatches(
  store: ChunkStore,
  filePath: string,
  onIds: (ids: IdList) => Promise<void>,
  options: HashifyOptions = {},
): Promise<BatchedFile> {
  return withOpenFile(filePath, options, async (file) => {
    const ids = new IdList(Math.min(ID_BATCH + ID_HEADROOM, Math.ceil(file.size / 40) + 1))
    let chunks = 0
    const handOver = async () => {
      await store.flush()
      chunks += ids.length
      await onIds(ids)
      ids.clear()
    }
    const hashed = await chunkInto(store, file, ids, options, async () => {
      if (ids.length < ID_BATCH) return
      file.check(fstatSync(file.fd, {bigint: true}))
      await handOver()
    })
    // chunkInto checked the file after its last read.
    if (ids.length > 0) await handOver()
    return {...hashed, chunks}
  })
}

async function withOpenFile<T>(filePath: string, options: HashifyOptions, work: (file: OpenFile) => Promise<T>): Promise<T> {
  let fd
  try {
    fd = openToRead(filePath, options.noFollow === true)
  } catch (error) {
    // O_NOFOLLOW on a symlink: ELOOP.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new FileAccessError(filePath, 'not-a-file', {cause: error})
    throw FileAccessError.from(filePath, error) ?? error
  }
  try {
    const before = statOpen(fd, filePath)
    const check = (now: FileTimes) => {
      if (now.size !== before.size || now.mtimeNs !== before.mtimeNs || now.ctimeNs !== before.ctimeNs) {
        throw new FileAccessError(filePath, 'changed')
      }
    }
    return await work({path: filePath, fd, size: Number(before.size), check})
  } finally {
    closeFile(fd)
  }
}

/** Reads, chunks and stores the file, appending its ids to `ids`; `afterPiece` runs after each piece stored, with the bytes read so far. */
async function chunkInto(
  store: ChunkStore,
  file: OpenFile,
  ids: IdList,
  options: HashifyOptions,
  afterPiece?: (read: number) => Promise<void> | void,
): Promise<Omit<HashedFile, 'ids'>> {
  const {path: filePath, fd, size} = file
  const kind = kindOf(file, options.rules ?? DEFAULT_KIND_RULES)
  if (size > 0) store.reserve(expectedNewChunks(kind, size))
  const pieces = size >= (options.workerMinBytes ?? HASH_THREAD_MIN_BYTES) ? piecesInWorker(file, kind) : piecesInThread(file, kind)
  let total = 0
  for await (const {piece, read, release} of pieces) {
    ids.append(piece.ids)
    store.addPiece(piece)
    release()
    total += read
    options.onProgress?.(total)
    if (store.needsDrain) await store.drain()
    await afterPiece?.(total)
  }
  const after = fstatSync(fd, {bigint: true})
  file.check(after)
  if (BigInt(total) !== after.size) throw new FileAccessError(filePath, 'changed')
  return {path: filePath, kind, size: total, stat: {size: total, mtimeNs: after.mtimeNs, ctimeNs: after.ctimeNs, ino: after.ino, mode: Number(after.mode)}}
}

/** The file's kind: by its name, or else by its first bytes (one small read). */
function kindOf(file: OpenFile, rules: KindRules): FileKind {
  const byName = kindByName(file.path, rules)
  if (byName) return byName
  const head = Buffer.allocUnsafe(Math.min(SNIFF_BYTES, file.size))
  const read = head.length === 0 ? 0 : readHead(file.fd, head, file.path)
  return sniffKind(head.subarray(0, read))
}

/**
 * Roughly how many distinct chunks a file adds, to size the index's table once. Text: one per 100 bytes (the
 * lines that repeat are the short ones: blank lines, front matter, common steps); a table sized for more than
 * the file brings cost cache misses on every line. Runs of lines: one per 3 KiB; binary: one per 16 KiB (cdc.ts).
 */
function expectedNewChunks(kind: FileKind, size: number): number {
  const mode = cutModeOf(kind, size)
  return Math.ceil(size / (mode === 'text' ? 100 : mode === 'text-runs' ? 3 * 1024 : 16 * 1024))
}

/**
 * Ids to make room for, from the previous version's chunks per byte, 2% over (an edit adds a line or a few; the
 * list's trim copies only past 1/32 of room), or 0 without one. Never more than one per byte (a record is ours, but
 * a size of 0 or a bad count must not ask for a huge buffer).
 */
export function expectedIds(size: number, previous: HashifyOptions['previous']): number {
  if (!previous || previous.size <= 0 || previous.chunks <= 0 || size === 0) return 0
  return Math.min(size + 1, Math.ceil((previous.chunks / previous.size) * size * 1.02) + 64)
}

/** fstat of an open file needs no disk: made here, not on the thread pool (read-fd.ts). */
function statOpen(fd: number, filePath: string) {
  const info = fstatSync(fd, {bigint: true})
  if (info.isDirectory()) throw new FileAccessError(filePath, 'is-directory')
  if (!info.isFile()) throw new FileAccessError(filePath, 'not-a-file')
  return info
}

/** The first bytes, to sniff the kind: a few KB, read here (read-fd.ts). */
function readHead(fd: number, buffer: Buffer, filePath: string): number {
  try {
    return readSync(fd, buffer, 0, buffer.length, 0)
  } catch (error) {
    throw FileAccessError.from(filePath, error) ?? error
  }
}
