/**
 * Changes the syncer makes to the folder: write a version, delete, rename. Each first checks that the path is
 * exactly what the last scan recorded (`expected`; undefined means "nothing there"), as late as possible:
 * for a write, after the new bytes are complete and synced, just before the rename. A mismatch is
 * LocalChangedError and nothing is touched: a user's edit is never overwritten, the next pass merges it.
 * New bytes always arrive by rename (temp file + fsync + rename), so no one sees half a file.
 * Nothing goes through a symlink or a file where a folder should be (inside-folder.ts): BlockedPathError.
 */
import {lstat, rename, rmdir, symlink, unlink} from 'node:fs/promises'
import type {Stats} from 'node:fs'
import path from 'node:path'
import {BlockedPathError} from '../errors/blocked-path-error.js'
import {LocalChangedError} from '../errors/local-changed-error.js'
import {blockingParent, checkParents, makeParents} from '../files/inside-folder.js'
import {writeTempFile} from '../files/save-file.js'
import type {Manifest} from '../manifest/manifest.js'
import {localVersion, type LocalVersion} from '../state/path-record.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {tempPathFor} from '../util/temp-path.js'
import {crashPoint} from '../util/crash-point.js'
import {UMASK} from '../util/umask.js'

async function statOf(absolute: string): Promise<Stats | undefined> {
  try {
    return await lstat(absolute)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined
    throw error
  }
}

/**
 * Throws LocalChangedError unless the path is as recorded; BlockedPathError when a folder above it is not a real
 * folder, or a folder stands at the path (a version is a file or a link, never a folder). `seen`: folders
 * already checked in this batch (blockingParent).
 */
export async function expectOnDisk(root: string, relative: string, expected: LocalVersion | undefined, seen?: Set<string>): Promise<void> {
  checkParents(root, relative, seen)
  const stat = await statOf(path.join(root, relative))
  if (stat?.isDirectory()) throw new BlockedPathError(relative, 'folder-in-the-way', relative)
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
  const temp = await writeTemp(root, relative, manifest, store)
  const written = await placeTemp(root, relative, {temp, manifest, expected, writtenAt})
  const folder = path.dirname(path.join(root, relative))
  if (folders) folders.add(folder)
  else await fsyncDir(folder)
  return written
}

/**
 * The new bytes (or link) in a temp file next to `relative`, durable but for its folder's entry; its folders
 * must exist. Returns the temp's path, for placeTemp; nothing is left behind when this throws.
 */
export async function writeTemp(root: string, relative: string, manifest: Manifest, store: ChunkStore): Promise<string> {
  const absolute = path.join(root, relative)
  if (manifest.kind === 'file') return (await writeTempFile(store, absolute, manifest.ids, {mode: fileMode(manifest.exec), size: manifest.size})).temp
  const temp = tempPathFor(absolute)
  await symlink(manifest.target, temp)
  return temp
}

export interface TempVersion {
  temp: string
  manifest: Manifest
  /** What the scan recorded at the path (undefined: nothing). */
  expected: LocalVersion | undefined
  /** When the bytes were taken (the version's hashedAtMs). */
  writtenAt: number
}

/**
 * Renames a temp file from writeTemp into place, checking first, immediately before the rename, that the path is
 * as recorded (never overwriting a local edit); the temp is removed when anything fails. Returns what is on disk.
 */
export async function placeTemp(root: string, relative: string, version: TempVersion, seen?: Set<string>): Promise<LocalVersion> {
  const absolute = path.join(root, relative)
  try {
    if (version.manifest.kind === 'file') crashPoint('after-temp-before-rename')
    await expectOnDisk(root, relative, version.expected, seen)
    await rename(version.temp, absolute)
  } catch (error) {
    await unlink(version.temp).catch(() => {})
    throw error
  }
  return localVersion(version.manifest, await lstat(absolute), version.writtenAt)
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
  const {mtimeMs, ctimeMs, ino} = await lstat(target)
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
