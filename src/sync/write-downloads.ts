/**
 * Writes many downloaded versions, batch by batch. A batch's files all go to temp files at once, each fsynced,
 * so the file system groups their journal commits and libuv's threads never wait on one file's steps; then the
 * folders above the batch are checked once each (real folders, never links: inside-folder.ts), and each file is
 * checked against what the scan recorded immediately before its rename (a local edit is never overwritten).
 * The renames of a batch run while the next batches are written. A file is recorded only once it is in place;
 * its folder's fsync (the caller's, once per folder) comes before the records are saved.
 *
 * A batch followed by another is renamed only once its files' racy window (stat-cache.ts) is over: renamed
 * within it, a file is recorded as "racily clean" and the next scan reads and hashes it again, which after a
 * first sync was every file received (10,000 reads). The temp file's name is ours, so nothing else wrote it
 * meanwhile, and an edit after the rename falls in a later clock tick and moves its mtime. The last batch does not
 * wait (a single download keeps its latency; its few files are read again).
 */
import {unlink} from 'node:fs/promises'
import {setTimeout as sleep} from 'node:timers/promises'
import path from 'node:path'
import {makeParents} from '../files/inside-folder.js'
import type {Manifest} from '../manifest/manifest.js'
import {cleanFrom} from '../scan/stat-cache.js'
import type {LocalVersion} from '../state/path-record.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {runLimited} from '../util/run-limited.js'
import {placeTemp, type TempVersion, writeTemp} from './local-files.js'

/** Files written at once: enough for the file system to group fsyncs, few enough to bound the bytes in flight. */
export const BATCH_FILES = 64
/** Batches being renamed at once, each waiting out its racy window while the next ones are written. */
const PLACING_BATCHES = 3

/** A download as planned (plan/action.ts): the path and the remote version to put there. */
export interface Download {
  path: string
  remote: {manifest: Manifest}
}

export interface WriteContext<T extends Download> {
  root: string
  store: ChunkStore
  /** What the scan recorded at a path, read when its temp file is complete. */
  expected: (path: string) => LocalVersion | undefined
  /** Told of a file that failed: reports a failure of that path alone (the file is left as it was), rethrows any other. */
  failed: (download: T, error: unknown) => void
  /** Told of each file in place (to record it in memory). */
  placed: (download: T, written: LocalVersion) => void
  /** Gets each folder that a file was renamed into, to be fsynced once before anything is saved. */
  folders: Set<string>
}

interface Written<T> extends Pick<TempVersion, 'temp' | 'synced' | 'writtenAt'> {
  download: T
}

export async function writeDownloads<T extends Download>(downloads: readonly T[], context: WriteContext<T>): Promise<void> {
  /** Batches being renamed, oldest first. */
  const placing: Promise<void>[] = []
  try {
    for (let i = 0; i < downloads.length; i += BATCH_FILES) {
      const written = await writeTemps(downloads.slice(i, i + BATCH_FILES), context)
      if (placing.length === PLACING_BATCHES) {
        await placing.shift()!.catch(async (error: unknown) => {
          await removeTemps(written)
          throw error
        })
      }
      const last = i + BATCH_FILES >= downloads.length
      const next = placeAll(written, context, last ? undefined : cleanBatchFrom(written))
      // Handled when awaited; until then a failure must not count as unhandled.
      next.catch(() => {})
      placing.push(next)
    }
  } finally {
    await Promise.allSettled(placing)
  }
  for (const batch of placing) await batch
}

/** When every file of the batch is past its racy window, or undefined when one cannot be (a coarse clock, no stat). */
function cleanBatchFrom(written: ReadonlyArray<Written<Download>>): number | undefined {
  let from = 0
  for (const {synced} of written) {
    const clean = synced && cleanFrom(synced.mtimeMs)
    if (clean === undefined) return undefined
    from = Math.max(from, clean)
  }
  return from
}

async function writeTemps<T extends Download>(batch: readonly T[], context: WriteContext<T>): Promise<Array<Written<T>>> {
  // Each folder is looked at (or made) once per batch, just before the batch's temp files go into it.
  const made = new Set<string>()
  const written: Array<Written<T>> = []
  try {
    await runLimited(batch, batch.length, (download) =>
      settle(download, context, async () => {
        const writtenAt = Date.now()
        await makeParents(context.root, download.path, made)
        const temp = await writeTemp(context.root, download.path, download.remote.manifest, context.store, batch.length > 1)
        written.push({download, ...temp, writtenAt})
      }),
    )
  } catch (error) {
    await removeTemps(written)
    throw error
  }
  return written
}

async function placeAll<T extends Download>(written: ReadonlyArray<Written<T>>, context: WriteContext<T>, notBefore?: number): Promise<void> {
  const wait = notBefore === undefined ? 0 : notBefore - Date.now()
  if (wait > 0) await sleep(wait)
  // Each folder above the batch is looked at again once, now that its temp files are complete, before any rename.
  const checked = new Set<string>()
  await runLimited(written, written.length, ({download, temp, synced, writtenAt}) =>
    settle(download, context, async () => {
      context.folders.add(path.dirname(path.join(context.root, download.path)))
      const version = {temp, synced, manifest: download.remote.manifest, expected: context.expected(download.path), writtenAt}
      context.placed(download, await placeTemp(context.root, download.path, version, checked))
    }),
  )
}

function settle<T extends Download>(download: T, context: WriteContext<T>, work: () => Promise<void>): Promise<void> {
  return work().catch((error: unknown) => context.failed(download, error))
}

async function removeTemps(written: ReadonlyArray<Written<Download>>): Promise<void> {
  await Promise.all(written.map(({temp}) => unlink(temp).catch(() => {})))
}
