/**
 * The folder as it was when it was last in sync: every file's stat and the journal cursor, in `.sync/clean`.
 * A pass that leaves nothing to do writes it; saving any change of the sync state removes it first. `sync once`
 * compares the folder with it and asks the server for news (clean-check.ts): when neither changed, the pass
 * would do nothing, and is not run (no LMDB, no chunk index, half the modules).
 *
 * Only a cache: missing, unreadable or malformed means "run the pass". It is written without fsync: a power cut
 * may leave an older snapshot than the state, and that is safe, because the check also needs the files to match
 * it and the server to have nothing after its cursor, and then the pass would have nothing to do either.
 */
import {readFile, rename, unlink, writeFile} from 'node:fs/promises'
import {unlinkSync} from 'node:fs'
import {tempPathFor} from '../util/temp-path.js'
import {statUnchanged, type StatStamp} from '../scan/stat-cache.js'
import type {FolderState} from './folder-state.js'

export interface CleanSnapshot {
  cursor: number
  /** How many files it lists. */
  size: number
  /** Whether it lists `path` and `stat` shows the file unchanged since it was hashed (stat-cache.ts). */
  unchanged(path: string, stat: StatStamp): boolean
}

/**
 * Binary, read in a few milliseconds (JSON of 10,000 entries took 12): "SYNCCLEAN1\n", the count (u32 LE) and the
 * cursor (f64 LE), per file size, mtimeMs, ctimeMs, inode and hashedAtMs (f64 LE each), then the paths in the
 * same order, UTF-8, each ended by a NUL (a byte no path holds).
 */
const MAGIC = Buffer.from('SYNCCLEAN1\n')
const HEADER = MAGIC.length + 4 + 8
const FIELDS = 5

/** Writes the snapshot of `state`, whose every path must be settled, atomically. */
export async function writeCleanSnapshot(file: string, state: FolderState): Promise<void> {
  const paths: string[] = []
  const stats: number[] = []
  for (const [path, record] of state.entries()) {
    if (!record.local) continue
    const {size, mtimeMs, ctimeMs, ino, hashedAtMs} = record.local
    paths.push(path)
    stats.push(size, mtimeMs, ctimeMs, ino, hashedAtMs)
  }
  const names = Buffer.from(paths.map((path) => `${path}\0`).join(''))
  const out = Buffer.alloc(HEADER + stats.length * 8 + names.length)
  MAGIC.copy(out)
  out.writeUInt32LE(paths.length, MAGIC.length)
  out.writeDoubleLE(state.cursor, MAGIC.length + 4)
  stats.forEach((value, i) => out.writeDoubleLE(value, HEADER + i * 8))
  names.copy(out, HEADER + stats.length * 8)
  const temp = tempPathFor(file)
  await writeFile(temp, out)
  await rename(temp, file).catch(async (error: unknown) => {
    await unlink(temp).catch(() => {})
    throw error
  })
}

export async function readCleanSnapshot(file: string): Promise<CleanSnapshot | undefined> {
  const bytes = await readFile(file).catch(() => undefined)
  if (!bytes || bytes.length < HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined
  const count = bytes.readUInt32LE(MAGIC.length)
  const cursor = bytes.readDoubleLE(MAGIC.length + 4)
  const namesAt = HEADER + count * FIELDS * 8
  if (!Number.isSafeInteger(cursor) || namesAt > bytes.length) return undefined
  const paths = bytes.toString('utf8', namesAt, bytes.length).split('\0')
  if (paths.pop() !== '' || paths.length !== count) return undefined
  // Each file's stat stays in the bytes, read when the walk meets the file: 10,000 objects of five numbers
  // built up front cost a third of the check (their allocation and the scavenges that copied them).
  const index = new Map<string, number>()
  paths.forEach((path, i) => index.set(path, HEADER + i * FIELDS * 8))
  const recorded = {size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0, hashedAtMs: 0}
  return {
    cursor,
    size: count,
    unchanged(path, stat) {
      const at = index.get(path)
      if (at === undefined) return false
      recorded.size = bytes.readDoubleLE(at)
      recorded.mtimeMs = bytes.readDoubleLE(at + 8)
      recorded.ctimeMs = bytes.readDoubleLE(at + 16)
      recorded.ino = bytes.readDoubleLE(at + 24)
      recorded.hashedAtMs = bytes.readDoubleLE(at + 32)
      return statUnchanged(recorded, stat)
    },
  }
}

/** Removes the snapshot (synchronously: before the state's next write starts). */
export function removeCleanSnapshot(file: string): void {
  try {
    unlinkSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
