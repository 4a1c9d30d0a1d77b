/**
 * The folder as it was when it was last in sync: every file's stat and the journal cursor, in `.sync/clean.json`.
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
import type {HashedStat} from '../scan/stat-cache.js'
import type {FolderState} from './folder-state.js'

export interface CleanSnapshot {
  cursor: number
  files: Map<string, HashedStat>
}

const VERSION = 1

/** Writes the snapshot of `state`, whose every path must be settled, atomically. */
export async function writeCleanSnapshot(file: string, state: FolderState): Promise<void> {
  const files: [string, number, number, number, number, number][] = []
  for (const [path, record] of state.entries()) {
    if (record.local) files.push([path, record.local.size, record.local.mtimeMs, record.local.ctimeMs, record.local.ino, record.local.hashedAtMs])
  }
  const temp = tempPathFor(file)
  await writeFile(temp, JSON.stringify({v: VERSION, cursor: state.cursor, files}))
  await rename(temp, file).catch(async (error: unknown) => {
    await unlink(temp).catch(() => {})
    throw error
  })
}

export async function readCleanSnapshot(file: string): Promise<CleanSnapshot | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as {v?: unknown; cursor?: unknown; files?: unknown}
    if (parsed.v !== VERSION || !Number.isSafeInteger(parsed.cursor) || !Array.isArray(parsed.files)) return undefined
    const files = new Map<string, HashedStat>()
    for (const entry of parsed.files as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 6 || typeof entry[0] !== 'string' || !entry.slice(1).every((n) => typeof n === 'number')) return undefined
      const [path, size, mtimeMs, ctimeMs, ino, hashedAtMs] = entry as [string, number, number, number, number, number]
      files.set(path, {size, mtimeMs, ctimeMs, ino, hashedAtMs})
    }
    return {cursor: parsed.cursor as number, files}
  } catch {
    return undefined
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
