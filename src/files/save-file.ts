/**
 * Rebuilds a file from stored chunks: all-or-nothing. Missing chunks are named before anything is written;
 * the bytes go to a temp file next to the target, are fsynced, and replace the target by rename, so a reader
 * (or a crash) sees the old file or the new one, never a mix.
 */
import {lstat, mkdir, open, rename, stat, unlink} from 'node:fs/promises'
import path from 'node:path'
import {FileAccessError, MissingChunksError} from '../errors/index.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {tempPathFor} from '../util/temp-path.js'

const WRITE_BATCH_BYTES = 1024 * 1024

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
}

export async function saveFile(store: ChunkStore, filePath: string, ids: readonly string[], options: SaveOptions = {}): Promise<{size: number}> {
  const missing = store.missing(ids)
  if (missing.length > 0) throw new MissingChunksError(missing)
  const existing = await lstat(filePath).catch(() => undefined)
  if (existing?.isDirectory()) throw new FileAccessError(filePath, 'is-directory')
  const dir = path.dirname(filePath)
  if (options.makeParents) await mkdir(dir, {recursive: true})
  else if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) throw new FileAccessError(filePath, 'no-parent')

  const temp = tempPathFor(filePath)
  const mode = options.mode ?? (existing?.isFile() ? existing.mode & 0o7777 : 0o666)
  let handle
  try {
    handle = await open(temp, 'wx', mode)
  } catch (error) {
    throw FileAccessError.from(filePath, error) ?? error
  }
  let size = 0
  try {
    const pending: Buffer[] = []
    let pendingBytes = 0
    for (const id of ids) {
      const chunk = await store.read(id)
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes >= WRITE_BATCH_BYTES) {
        size += await writeAll(handle, pending)
        pending.length = 0
        pendingBytes = 0
      }
    }
    size += await writeAll(handle, pending)
    // open() applied the mode minus the umask: chmod only for bits the umask took away.
    if (options.mode !== undefined && (options.mode & process.umask()) !== 0) await handle.chmod(options.mode)
    await handle.sync()
    await handle.close()
    handle = undefined
    await options.beforeRename?.(temp)
    await rename(temp, filePath)
  } catch (error) {
    await handle?.close().catch(() => {})
    await unlink(temp).catch(() => {})
    throw error
  }
  if (!options.deferFolderSync) await fsyncDir(dir)
  return {size}
}

async function writeAll(handle: import('node:fs/promises').FileHandle, chunks: Buffer[]): Promise<number> {
  if (chunks.length === 0) return 0
  const {bytesWritten} = await handle.writev(chunks)
  const total = chunks.reduce((n, c) => n + c.length, 0)
  if (bytesWritten !== total) {
    // A short writev: write the rest one piece at a time.
    const rest = Buffer.concat(chunks).subarray(bytesWritten)
    await handle.write(rest)
  }
  return total
}
