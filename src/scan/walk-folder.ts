/**
 * Visits a folder's files (regular files and symlinks, never following a link, never entering one) with their stat, skipping
 * ignored paths. Synchronous on purpose: with 10,000 files the async version spends most of its time in
 * promise and thread-pool hand-offs; lstat from the page cache takes microseconds. Each file goes to the
 * visitor as soon as it is stat'ed, so a rescan keeps no stat it does not need (they die young, cheap to GC).
 */
import {lstatSync, readdirSync, type Stats} from 'node:fs'
import path from 'node:path'
import {blockingParent} from '../files/inside-folder.js'
import {SYNC_DIR_NAME} from '../folder/layout.js'
import {isResetLeftover} from '../folder/reset-leftovers.js'
import {TEMP_FILE_PATTERN} from '../util/temp-path.js'
import type {IgnoreRules} from './ignore-rules.js'
import {mayNotBeUtf8, namesNotUtf8} from './names-not-utf8.js'
import {nestedFolderFinder} from './nested-folders.js'

export interface WalkedFile {
  path: string
  stat: Stats
}

export interface WalkResult {
  /** Folders that could not be listed: paths below them must not be taken as deleted. */
  unlistable: string[]
  /** Our own temp files (`.NAME.sync-XXXXXXXX.tmp`), never synced. */
  temps: string[]
  /** What a reset stopped by a crash left in the root (reset-leftovers.ts), by name. */
  resetLeftovers: string[]
  /** Nested synced folders (nested-folders.ts), not walked into. */
  nested: string[]
  /** Files and folders whose names are not UTF-8 (names-not-utf8.ts): not visited, not walked into. */
  notUtf8: string[]
}

/** `realFolders`: folders known to be real ones, as for blockingParent (a scan of many paths shares one). */
export function walkFolder(root: string, rules: IgnoreRules, visit: (file: WalkedFile) => void, below = '', realFolders?: Set<string>): WalkResult {
  const result: WalkResult = {unlistable: [], temps: [], resetLeftovers: [], nested: [], notUtf8: []}
  // Plain concatenation: path.join per file costs a third of a warm walk.
  const prefix = root.endsWith(path.sep) ? root : root + path.sep
  // readdir follows links: a walk from below the root starts only at a real folder reached through real folders.
  if (below !== '' && (blockingParent(root, below, realFolders) !== undefined || !lstatSync(prefix + below, {throwIfNoEntry: false})?.isDirectory()))
    return result
  const inNested = below === '' ? undefined : nestedFolderFinder(root)(below)
  if (inNested !== undefined) {
    result.nested.push(inNested)
    return result
  }
  const pending = [below]
  while (pending.length > 0) {
    const dir = pending.pop()!
    let entries
    try {
      entries = readdirSync(prefix + dir, {withFileTypes: true})
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // A folder gone meanwhile holds nothing; the folder itself gone (an unmounted disk) is not an empty one.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dir !== '') continue
      result.unlistable.push(dir)
      continue
    }
    // The root's own `.sync/` is the only one this folder's walk may see.
    if (dir !== '' && entries.some((entry) => entry.name === SYNC_DIR_NAME && entry.isDirectory())) {
      result.nested.push(dir)
      continue
    }
    let notUtf8: Set<string> | undefined
    for (const entry of entries) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name
      if (mayNotBeUtf8(entry.name) && (notUtf8 ??= namesNotUtf8(prefix + dir)).has(entry.name)) {
        if (!result.notUtf8.includes(relative)) result.notUtf8.push(relative)
        continue
      }
      if (entry.isDirectory()) {
        if (dir === '' && isResetLeftover(entry.name)) result.resetLeftovers.push(entry.name)
        else if (!rules.ignores(`${relative}/`)) pending.push(relative)
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (TEMP_FILE_PATTERN.test(entry.name)) {
          result.temps.push(relative)
          continue
        }
        if (rules.ignores(relative)) continue
        let stat
        try {
          stat = lstatSync(prefix + relative)
        } catch {
          continue // Gone between readdir and lstat: the next scan sees it as absent.
        }
        visit({path: relative, stat})
      }
    }
  }
  return result
}
