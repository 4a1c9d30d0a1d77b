/**
 * Changes the syncer makes to the folder: write a version, delete, rename. Each first checks that the path is
 * exactly what the last scan recorded (`expected`; undefined means "nothing there"), as late as possible:
 * for a write, after the new bytes are complete and synced, just before the rename. A mismatch is
 * LocalChangedError and nothing is touched: a user's edit is never overwritten, the next pass merges it.
 * New bytes always arrive by rename (temp file + fsync + rename), so no one sees half a file.
 * Nothing goes through a symlink or a file where a folder should be (inside-folder.ts): BlockedPathError.
 */
import {rename, rmdir, symlink, unlink} from 'node:fs/promises'
import {lstatSync, renameSync, type Stats} from 'node:fs'
import path from 'node:path'
import {BlockedPathError} from '../errors/blocked-path-error.js'
import {LocalChangedError} from '../errors/local-changed-error.js'
import {blockingParent, checkParents, makeParents} from '../files/inside-folder.js'
import {type SyncedTemp, writeTempFile} from '../files/save-file.js'
import type {Manifest} from '../manifest/manifest.js'
import {localVersion, type LocalVersion} from '../state/path-record.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {tempPathFor} from '../util/temp-path.js'
import {crashPoint} from '../util/crash-point.js'
import {UMASK} from '../util/umask.js'

/**
 * The path's lstat, or undefined when nothing is there. Synchronous, as the checks of the folders above are
 * (inside-folder.ts): a metadata call takes microseconds, a trip to libuv's pool and back a millisecond or more on
 * a busy machine, and each download's check, rename and stat are on the way of an edit to the other devices.
 */
function statOf(absolute: string): Stats | undefined {
  try {
    // Nothing there is the usual answer for a download (a new file): no error object is made for it.
    return lstatSync(absolute, {throwIfNoEntry: false})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined
    throw error
  }
}

/**
 * Throws LocalChangedError unless the path is as recorded; BlockedPathError when a folder above it is not a real
 * folder, or a folder, a pipe, a socket or a device stands at the path (a version is a file or a link). `seen`: folders
 * already checked in this batch (blockingParent).
 */
export async function expectOnDisk(root: string, relative: string, expected: LocalVersion | undefined, seen?: Set<string>): Promise<void> {
  checkParents(root, relative, seen)
  const stat = statOf(path.join(root, relative))
  if (stat?.isDirectory()) throw new BlockedPathError(relative, 'folder-in-the-way', relative)
  // Never tracked (the scan takes files and links only), so never replaced: the user's, whatever it is for.
  if (stat && !stat.isFile() && !stat.isSymbolicLink()) throw new BlockedPathError(relative, 'special-in-the-way', relative)
  if (!expected) {
    if (stat) throw new LocalChangedError(relative)
    return
  }
  if (!stat || stat.size !== expected.size || stat.mtimeMs !== expected.mtimeMs || stat.ino !== expected.ino) {
    throw new LocalChangedError(relative)
  }
}

function fileMode(exec: boolean): number {
  const base = 0o666 & ~UMASK
  return exec ? base | ((base & 0o444) >> 2) : base
}

/**
 * Writes `manifest` at `relative` (replacing what `expected` describes); returns what is now on disk. With
 * `folders`, the folder's fsync is left to the caller (it syncs each folder in the set once, before recording).
 */
export async function writeVersion(
  root: string,
  relative: string,
  manifest: Manifest,
  store: ChunkStore,
  expected: LocalVersion | undefined,
  folders?: Set<string>,
): Promise<LocalVersion> {
  const writtenAt = Date.now()
  await makeParents(root, relative)
  const written = await placeTemp(root, relative, {...(await writeTemp(root, relative, manifest, store)), manifest, expected, writtenAt})
  const folder = path.dirname(path.join(root, relative))
  if (folders) folders.add(folder)
  else await fsyncDir(folder)
  return written
}

/**
 * The new bytes (or link) in a temp file next to `relative`, durable but for its folder's entry; its folders
 * must exist. Returns the temp's path (and a file's stat once durable), for placeTemp; nothing is left behind
 * when this throws. `inBatch`: one of many written at once (save-file.ts).
 */
export async function writeTemp(
  root: string,
  relative: string,
  manifest: Manifest,
  store: ChunkStore,
  inBatch = false,
): Promise<Pick<TempVersion, 'temp' | 'synced'>> {
  const absolute = path.join(root, relative)
  if (manifest.kind === 'file') {
    const {temp, synced} = await writeTempFile(store, absolute, manifest.ids, {mode: fileMode(manifest.exec), size: manifest.size, inBatch})
    return {temp, synced}
  }
  const temp = tempPathFor(absolute)
  await symlink(manifest.target, temp)
  return {temp}
}

export interface TempVersion {
  temp: string
  manifest: Manifest
  /** What the scan recorded at the path (undefined: nothing). */
  expected: LocalVersion | undefined
  /** When the bytes were taken (the version's hashedAtMs, unless `synced` proves a later moment: knownFrom). */
  writtenAt: number
  /** A file's temp as it was once durable (writeTempFile). */
  synced?: SyncedTemp
}

/**
 * The moment from which the placed file is known to hold our bytes, as its version's hashedAtMs (stat-cache.ts).
 * The write's start (the next scan reads the file again: its mtime is later), unless the file still has the mtime
 * and inode its temp had once durable. Then nothing wrote it since (its name was ours alone until the rename), but
 * maybe in the same timestamp tick as our last write: the rename's start is the moment, and the scan's racy rule
 * still reads again a file whose mtime is within the window of it. A file renamed into place well after its last
 * write (a big file's fsync, the first files of a batch) is not read again.
 */
function knownFrom(version: TempVersion, renamedAt: number, placed: Stats): number {
  const {synced} = version
  return synced && placed.mtimeMs === synced.mtimeMs && placed.ino === synced.ino ? renamedAt : version.writtenAt
}

/**
 * Renames a temp file from writeTemp into place, checking first, immediately before the rename, that the path is
 * as recorded (never overwriting a local edit); the temp is removed when anything fails. Returns what is on disk.
 */
export async function placeTemp(root: string, relative: string, version: TempVersion, seen?: Set<string>): Promise<LocalVersion> {
  const absolute = path.join(root, relative)
  let renamedAt: number
  try {
    if (version.manifest.kind === 'file') crashPoint('after-temp-before-rename')
    await expectOnDisk(root, relative, version.expected, seen)
    renamedAt = Date.now()
    renameSync(version.temp, absolute)
  } catch (error) {
    await unlink(version.temp).catch(() => {})
    throw error
  }
  return placedVersion(version, renamedAt, statOf(absolute))
}

/** The stat recorded for a version gone as soon as it was placed: no file has inode 0, so the next scan sees the deletion. */
const GONE = {mtimeMs: 0, ctimeMs: 0, ino: 0}

/**
 * What to record of a version renamed into place, from the path's lstat right after. Gone (or a folder) by then:
 * the user deleted it as soon as it came. It is recorded as placed all the same, with a stat no file has (inode 0),
 * so that the next scan finds the deletion and sends it; failing instead left the path as if never written (its
 * base forgotten by a restore, say), and the next pass wrote it back over the user's deletion.
 */
export function placedVersion(version: TempVersion, renamedAt: number, placed: Stats | undefined): LocalVersion {
  if (!placed || placed.isDirectory()) return localVersion(version.manifest, GONE, 0)
  return localVersion(version.manifest, placed, knownFrom(version, renamedAt, placed))
}

/** Deletes the file `expected` describes, then any folders that this left empty. */
export async function deleteVersion(root: string, relative: string, expected: LocalVersion): Promise<void> {
  await expectOnDisk(root, relative, expected)
  await unlink(path.join(root, relative))
  await removeEmptyParents(root, relative)
}

/** Renames `from` (as `expected`) to `to` (which must be free); returns the moved file's version. */
export async function moveVersion(root: string, from: string, to: string, expected: LocalVersion): Promise<LocalVersion> {
  await expectOnDisk(root, from, expected)
  await expectOnDisk(root, to, undefined)
  await makeParents(root, to)
  const target = path.join(root, to)
  // Through a temp name, so a case-only rename works on case-insensitive filesystems too.
  const temp = tempPathFor(target)
  await rename(path.join(root, from), temp)
  await rename(temp, target)
  await fsyncDir(path.dirname(target))
  await removeEmptyParents(root, from)
  // Gone by now (deleted as soon as it came): recorded moved all the same, with a stat no file has (placedVersion).
  const moved = statOf(target)
  if (!moved || moved.isDirectory()) return {...expected, ...GONE, hashedAtMs: 0}
  const {mtimeMs, ctimeMs, ino} = moved
  return {...expected, mtimeMs, ctimeMs, ino}
}

async function removeEmptyParents(root: string, relative: string): Promise<void> {
  let dir = path.posix.dirname(relative)
  while (dir !== '.' && dir !== '') {
    if (blockingParent(root, dir) !== undefined) return
    try {
      await rmdir(path.join(root, dir))
    } catch {
      return // not empty (or gone): stop
    }
    dir = path.posix.dirname(dir)
  }
}
