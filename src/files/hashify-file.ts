/**
 * Chunks a file, stores its chunks, and returns its version: kind, size and ids in order. Reads in 1 MiB
 * pieces, so memory stays bounded whatever the file's size (the ids themselves take 32 bytes per chunk).
 */
import {constants} from 'node:fs'
import {open, type FileHandle} from 'node:fs/promises'
import {CDC} from '../chunk/cdc.js'
import {Chunker} from '../chunk/chunker.js'
import {type FileKind, type KindRules, DEFAULT_KIND_RULES, detectKind} from '../chunk/file-kind.js'
import {sha256Key} from '../chunk/hash.js'
import {IdList} from '../chunk/id-list.js'
import {FileAccessError} from '../errors/index.js'
import type {ChunkStore} from '../store/chunk-store.js'

const READ_BYTES = 1024 * 1024

export interface HashedFile {
  path: string
  kind: FileKind
  size: number
  ids: IdList
  /** What the file looked like when it was read: size, mtime and ctime in nanoseconds, inode, mode. */
  stat: {size: number; mtimeNs: bigint; ctimeNs: bigint; ino: bigint; mode: number}
}

export interface HashifyOptions {
  rules?: KindRules
  /** Called after each piece read, with the bytes read so far. */
  onProgress?: (bytesRead: number) => void
  /** Refuse a symlink (not-a-file) instead of reading its target: the scanner syncs links as links. */
  noFollow?: boolean
}

export async function hashifyFile(store: ChunkStore, filePath: string, options: HashifyOptions = {}): Promise<HashedFile> {
  let handle
  try {
    handle = await open(filePath, options.noFollow ? constants.O_RDONLY | constants.O_NOFOLLOW : 'r')
  } catch (error) {
    // O_NOFOLLOW on a symlink: ELOOP.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new FileAccessError(filePath, 'not-a-file', {cause: error})
    throw FileAccessError.from(filePath, error) ?? error
  }
  try {
    const before = await statOpen(handle, filePath)
    const size = Number(before.size)
    // A small file gets a small buffer (from node's pool): most recipes are a few KB, and a 1 MiB buffer per
    // file was a tenth of a 10,000-file scan.
    const buffer = Buffer.allocUnsafe(Math.min(READ_BYTES, size + 1))
    const ids = new IdList(Math.min(64, Math.ceil(size / 40) + 1))
    const sink = (chunk: Buffer): void => {
      const key = sha256Key(chunk)
      store.addKeyed(chunk, key)
      ids.pushKey(key)
    }
    let chunker: Chunker | undefined
    let total = 0
    // Reading stops at the size the file had when opened (one read for a small file, no extra read for EOF):
    // a file that grew or changed meanwhile shows in the stat taken afterwards.
    while (total < size) {
      const {bytesRead} = await readSome(handle, buffer, filePath)
      if (bytesRead === 0) break
      if (!chunker) {
        chunker = new Chunker(detectKind(filePath, buffer.subarray(0, bytesRead), options.rules ?? DEFAULT_KIND_RULES))
        // About one chunk per 50 bytes of text (a line), one per 16 KiB of binary: sizing up front saves regrowing.
        store.reserve(Math.ceil(size / (chunker.kind === 'text' ? 50 : CDC.avg)))
      }
      chunker.push(buffer.subarray(0, bytesRead), sink)
      total += bytesRead
      options.onProgress?.(total)
      if (store.needsDrain) await store.drain()
    }
    chunker?.end(sink)
    const after = await handle.stat({bigint: true})
    if (after.size !== before.size || after.mtimeNs !== before.mtimeNs || after.ctimeNs !== before.ctimeNs || BigInt(total) !== after.size) {
      throw new FileAccessError(filePath, 'changed')
    }
    const kind = chunker?.kind ?? detectKind(filePath, Buffer.alloc(0), options.rules ?? DEFAULT_KIND_RULES)
    return {path: filePath, kind, size: total, ids, stat: {size: total, mtimeNs: after.mtimeNs, ctimeNs: after.ctimeNs, ino: after.ino, mode: Number(after.mode)}}
  } finally {
    await handle.close()
  }
}

async function statOpen(handle: FileHandle, filePath: string) {
  const info = await handle.stat({bigint: true})
  if (info.isDirectory()) throw new FileAccessError(filePath, 'is-directory')
  if (!info.isFile()) throw new FileAccessError(filePath, 'not-a-file')
  return info
}

async function readSome(handle: FileHandle, buffer: Buffer, filePath: string) {
  try {
    return await handle.read(buffer, 0, buffer.length, null)
  } catch (error) {
    throw FileAccessError.from(filePath, error) ?? error
  }
}
