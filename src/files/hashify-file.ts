/**
 * Chunks a file, stores its chunks, and returns its version: kind, size and ids in order. Reads in 1 MiB
 * pieces, so memory stays bounded whatever the file's size (the ids themselves take 32 bytes per chunk).
 */
import {open, stat} from 'node:fs/promises'
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
  /** What the file looked like when it was read: size, mtime in nanoseconds, inode, mode. */
  stat: {size: number; mtimeNs: bigint; ino: bigint; mode: number}
}

export interface HashifyOptions {
  rules?: KindRules
  /** Called after each piece read, with the bytes read so far. */
  onProgress?: (bytesRead: number) => void
}

export async function hashifyFile(store: ChunkStore, filePath: string, options: HashifyOptions = {}): Promise<HashedFile> {
  const before = await statFile(filePath)
  let handle
  try {
    handle = await open(filePath, 'r')
  } catch (error) {
    throw FileAccessError.from(filePath, error) ?? error
  }
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES)
    const ids = new IdList()
    const sink = (chunk: Buffer): void => {
      const key = sha256Key(chunk)
      store.addKeyed(chunk, key)
      ids.pushKey(key)
    }
    let chunker: Chunker | undefined
    let total = 0
    for (;;) {
      const {bytesRead} = await readSome(handle, buffer, filePath)
      if (bytesRead === 0) break
      if (!chunker) {
        chunker = new Chunker(detectKind(filePath, buffer.subarray(0, bytesRead), options.rules ?? DEFAULT_KIND_RULES))
        // About one chunk per 50 bytes of text (a line), one per 16 KiB of binary: sizing up front saves regrowing.
        store.reserve(Math.ceil(Number(before.size) / (chunker.kind === 'text' ? 50 : CDC.avg)))
      }
      chunker.push(buffer.subarray(0, bytesRead), sink)
      total += bytesRead
      options.onProgress?.(total)
      if (store.needsDrain) await store.drain()
    }
    chunker?.end(sink)
    const after = await handle.stat({bigint: true})
    if (after.size !== before.size || after.mtimeNs !== before.mtimeNs || BigInt(total) !== after.size) {
      throw new FileAccessError(filePath, 'changed')
    }
    const kind = chunker?.kind ?? detectKind(filePath, Buffer.alloc(0), options.rules ?? DEFAULT_KIND_RULES)
    return {path: filePath, kind, size: total, ids, stat: {size: total, mtimeNs: after.mtimeNs, ino: after.ino, mode: Number(after.mode)}}
  } finally {
    await handle.close()
  }
}

async function statFile(filePath: string) {
  let info
  try {
    info = await stat(filePath, {bigint: true})
  } catch (error) {
    throw FileAccessError.from(filePath, error) ?? error
  }
  if (info.isDirectory()) throw new FileAccessError(filePath, 'is-directory')
  if (!info.isFile()) throw new FileAccessError(filePath, 'not-a-file')
  return info
}

async function readSome(handle: import('node:fs/promises').FileHandle, buffer: Buffer, filePath: string) {
  try {
    return await handle.read(buffer, 0, buffer.length, null)
  } catch (error) {
    throw FileAccessError.from(filePath, error) ?? error
  }
}
