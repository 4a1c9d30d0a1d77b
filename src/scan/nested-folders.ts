/**
 * Nested synced folders: a folder below the root that holds a `.sync/` folder of its own is another synced folder
 * (of another namespace, or the same) and never part of this one. Its files are treated like ignored ones
 * (ignore-rules.ts): not tracked here, so nothing of it is sent, nothing received into it, and a folder that
 * becomes nested sends no deletion for the files this one tracked there.
 */
import {lstatSync} from 'node:fs'
import path from 'node:path'
import {SYNC_DIR_NAME} from '../folder/layout.js'

/** Whether the folder `absolute` holds a `.sync/` folder (not a file or a link of that name). */
export function holdsSyncDir(absolute: string): boolean {
  try {
    // Absent (the common answer, asked of every path a pull brings) without an exception to build.
    return lstatSync(path.join(absolute, SYNC_DIR_NAME), {throwIfNoEntry: false})?.isDirectory() === true
  } catch {
    return false // `absolute` is a file (ENOTDIR).
  }
}

/**
 * Finds the nested synced folder a path is in (the path itself counts when it is a folder), looking each folder up
 * once per finder: for the few paths a scan or a pull asks about, not for every file of a walk (walk-folder.ts
 * sees the marker in the listings it reads anyway). Only real folders count: below a link (or a file) nothing is
 * nested, since sync never goes through one; a link to a folder that holds a `.sync/` (a link to the root
 * itself, say) is a link, and the paths this folder tracks under its name stay tracked.
 */
export function nestedFolderFinder(root: string): (relative: string) => string | undefined {
  const known = new Map<string, FolderKind>()
  return (relative) => {
    let end = relative.indexOf('/')
    for (;;) {
      const folder = end === -1 ? relative : relative.slice(0, end)
      let kind = known.get(folder)
      if (kind === undefined) known.set(folder, (kind = folderKind(path.join(root, folder))))
      if (kind === 'nested') return folder
      if (kind === 'other' || end === -1) return undefined
      end = relative.indexOf('/', end + 1)
    }
  }
}

type FolderKind = 'nested' | 'folder' | 'other'

/** A real folder holding a `.sync/`, another real folder, or anything else (absent, a link, a file). */
function folderKind(absolute: string): FolderKind {
  let stat
  try {
    stat = lstatSync(absolute, {throwIfNoEntry: false})
  } catch {
    return 'other' // below a file (ENOTDIR)
  }
  if (!stat?.isDirectory()) return 'other'
  return holdsSyncDir(absolute) ? 'nested' : 'folder'
}

/** The nested folder a watcher event on its marker stands for: `notes/.sync` → `notes` (the root's own is never reported). */
export function markerOwner(relative: string): string | undefined {
  const suffix = `/${SYNC_DIR_NAME}`
  return relative.endsWith(suffix) ? relative.slice(0, -suffix.length) : undefined
}
