/**
 * Where a mount may go (`sync mount NS SUBDIR`): a folder strictly inside the synced folder, not inside its `.sync`
 * nor inside any folder that is a synced folder of its own, reached through real folders only (no link on the way:
 * a link could lead out of the folder), itself absent or an empty folder (files already there would be sent to
 * the mounted namespace by surprise), and overlapping no other mount. Checked before anything is written.
 */
import {lstat, readdir} from 'node:fs/promises'
import path from 'node:path'
import {InvalidInputError, NotASyncFolderError} from '../errors/index.js'
import {validatePath} from '../paths/validate-path.js'
import {holdsSyncDir} from '../scan/nested-folders.js'
import type {FolderConfig} from './config.js'
import {SYNC_DIR_NAME} from './layout.js'

/** SUBDIR (absolute, or relative to `start`) as a path relative to `root`, `/`-separated; refused when outside or at the root. */
export function mountPath(root: string, start: string, subdir: string): string {
  const relative = path.relative(root, path.resolve(start, subdir))
  if (relative === '') throw new InvalidInputError(`${subdir} is the synced folder itself: a mount goes in a folder below it`, {subdir})
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new InvalidInputError(`${subdir} is outside the synced folder ${root}`, {subdir})
  const posix = relative.split(path.sep).join('/')
  if (posix.split('/').some((segment) => segment.toLowerCase() === SYNC_DIR_NAME))
    throw new InvalidInputError(`${subdir} is inside a .sync folder, which holds sync's own data`, {subdir})
  const reason = validatePath(posix)
  if (reason !== undefined) throw new InvalidInputError(`${subdir} cannot be a mount: ${reason}`, {subdir})
  return posix
}

const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`)

/** The mount listed at `relative` in `config`, if any. */
export const mountAt = (config: FolderConfig, relative: string) => config.mounts?.find((m) => m.path === relative)

/** Refuses a new mount at `relative` (from mountPath) that is not a place for one; creates nothing. */
export async function checkMountTarget(root: string, config: FolderConfig, relative: string): Promise<void> {
  const other = config.mounts?.find((m) => overlaps(m.path, relative))
  if (other)
    throw new InvalidInputError(`${relative} overlaps the mount ${other.path}: mounts cannot be inside one another`, {path: relative, mount: other.path})
  const segments = relative.split('/')
  for (let i = 1; i <= segments.length; i++) {
    const at = segments.slice(0, i).join('/')
    const stat = await lstat(path.join(root, at)).catch(() => undefined)
    if (!stat) return // Absent from here down: the mount creates it.
    if (stat.isSymbolicLink()) throw new InvalidInputError(`${at} is a symbolic link: a mount is reached through real folders only`, {path: at})
    if (!stat.isDirectory()) throw new InvalidInputError(`${at} is a file, not a folder`, {path: at})
    if (holdsSyncDir(path.join(root, at)))
      throw new InvalidInputError(`${at} is a synced folder of its own (it has a .sync): it cannot hold or be a new mount`, {path: at})
  }
  if ((await readdir(path.join(root, relative))).length > 0)
    throw new InvalidInputError(`${relative} is not empty: mount into a new or empty folder (its files would be sent to the mounted namespace)`, {
      path: relative,
    })
}

/**
 * The folder of a listed mount, checked before it is synced: reached through real folders (a link put in its
 * place must not lead a pass elsewhere), and still a synced folder.
 */
export async function mountDir(root: string, relative: string): Promise<string> {
  const segments = relative.split('/')
  for (let i = 1; i <= segments.length; i++) {
    const stat = await lstat(path.join(root, ...segments.slice(0, i))).catch(() => undefined)
    if (!stat?.isDirectory()) break
    if (i === segments.length && holdsSyncDir(path.join(root, relative))) return path.join(root, relative)
  }
  throw new NotASyncFolderError(
    path.join(root, relative),
    `the mount ${relative} is no longer a synced folder (moved, deleted, or replaced by a link): not synced; 'sync unmount ${relative}' forgets it`,
  )
}
