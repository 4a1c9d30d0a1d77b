/**
 * Reaching a path inside a synced folder without following links. Node has no openat(2), so every folder
 * between the root and the path is lstat'ed: each that exists must be a real folder, never a symlink (which
 * could lead outside the folder, above it, or into `.sync/`) and never a file. Writers check again just before
 * the rename that puts bytes in place, so a folder swapped for a link meanwhile is caught; what is left is the
 * window between that check and the rename itself (docs/security.md).
 *
 * The root itself may be reached through a link (`~/Recipes -> /data/Recipes`): only what is below it counts.
 */
import {lstatSync} from 'node:fs'
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import {BlockedPathError} from '../errors/blocked-path-error.js'

/**
 * The first folder above `relative` (relative, with `/`) that exists but is not a real folder, or undefined
 * when every one that exists is a real folder (those below a missing one do not exist either). With `seen`,
 * folders in it are taken as real without a look and those found real are added: a writer of many files looks
 * at each folder once per batch (it checks the batch's folders again just before its renames).
 */
export function blockingParent(root: string, relative: string, seen?: Set<string>): string | undefined {
  let end = relative.indexOf('/')
  while (end !== -1) {
    const parent = relative.slice(0, end)
    if (!seen?.has(parent)) {
      const stat = lstatSync(path.join(root, parent), {throwIfNoEntry: false})
      if (!stat) return undefined
      if (!stat.isDirectory()) return parent
      seen?.add(parent)
    }
    end = relative.indexOf('/', end + 1)
  }
  return undefined
}

/** Throws BlockedPathError when a folder above `relative` is a symlink or a file. */
export function checkParents(root: string, relative: string, seen?: Set<string>): void {
  const at = blockingParent(root, relative, seen)
  if (at !== undefined) throw new BlockedPathError(relative, 'parent-not-folder', at)
}

/**
 * Makes the folders above `relative` that are missing, one at a time, refusing to go through anything else;
 * `seen` as for blockingParent.
 */
export async function makeParents(root: string, relative: string, seen?: Set<string>): Promise<void> {
  let end = relative.indexOf('/')
  while (end !== -1) {
    const parent = relative.slice(0, end)
    if (seen?.has(parent)) {
      end = relative.indexOf('/', end + 1)
      continue
    }
    const absolute = path.join(root, parent)
    let stat = lstatSync(absolute, {throwIfNoEntry: false})
    if (!stat) {
      await mkdir(absolute).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error
      })
      stat = lstatSync(absolute, {throwIfNoEntry: false})
    }
    if (!stat?.isDirectory()) throw new BlockedPathError(relative, 'parent-not-folder', parent)
    seen?.add(parent)
    end = relative.indexOf('/', end + 1)
  }
}
