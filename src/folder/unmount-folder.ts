/**
 * `sync unmount SUBDIR`: the mount stops being one. Its files stay where they are, as plain files, and the outer
 * folder ignores the folder on this device (a line `/SUBDIR/` in its `.sync/ignore`): without that, the outer folder
 * would start sending them into its own namespace as soon as the mount's `.sync/` is gone. Deleting the line is how
 * a user says they want them there. Refused while the mount has local changes its namespace has not taken (a
 * read-only mount's edits are such changes), unless `keepChanges`: they then stay here as plain files too, and are
 * never sent. Order, for a crash at any point: the ignore line, the outer config, then the mount's `.sync/` (while
 * it is there, the folder is a nested synced folder, which the outer one skips anyway).
 */
import {appendFile, readFile, rm} from 'node:fs/promises'
import path from 'node:path'
import {InvalidInputError, UnsentChangesError} from '../errors/index.js'
import {DEVICE_IGNORE} from '../scan/ignore-rules.js'
import {holdsSyncDir} from '../scan/nested-folders.js'
import {folderStatus} from '../sync/folder-status.js'
import {readConfig, writeConfig} from './config.js'
import {findRoot} from './find-root.js'
import {lockFolder} from './folder-lock.js'
import {folderLayout} from './layout.js'
import {mountAt, mountPath} from './mount-target.js'
import {SyncFolder} from './sync-folder.js'

export interface Unmounted {
  root: string
  path: string
  /** Local changes the mounted namespace never got, kept here as plain files (with `keepChanges`). */
  keptChanges: string[]
  /** The line added to the outer folder's `.sync/ignore`. */
  ignoreRule: string
}

/** A gitignore rule matching exactly the folder `relative` from the root (its special characters escaped). */
export const folderRule = (relative: string): string => `/${relative.replace(/[\\*?[\]!# ]/g, (c) => `\\${c}`)}/`

export async function unmountNamespace(start: string, subdir: string, options: {keepChanges?: boolean} = {}): Promise<Unmounted> {
  const root = await findRoot(start)
  const layout = folderLayout(root)
  const relative = mountPath(root, start, subdir)
  const lock = await lockFolder(layout.syncDir, root)
  try {
    const config = await readConfig(layout.config)
    if (!mountAt(config, relative)) throw new InvalidInputError(`${relative} is not a mount of ${root} ('sync status' lists them)`, {path: relative})
    const dir = path.join(root, relative)
    const keptChanges = holdsSyncDir(dir) ? await unsent(dir) : []
    if (keptChanges.length > 0 && !options.keepChanges) {
      const shown = keptChanges.slice(0, 5).join(', ') + (keptChanges.length > 5 ? ` and ${keptChanges.length - 5} more` : '')
      throw new UnsentChangesError(
        `${relative} has ${keptChanges.length} local ${keptChanges.length === 1 ? 'change' : 'changes'} its namespace has not taken (${shown}): sync them first, or unmount with --keep-changes to keep them here as plain files, never sent`,
        keptChanges,
      )
    }
    const ignoreRule = folderRule(relative)
    await addRule(path.join(root, DEVICE_IGNORE), ignoreRule)
    await writeConfig(layout.config, {...config, mounts: config.mounts!.filter((m) => m.path !== relative)})
    await rm(folderLayout(dir).syncDir, {recursive: true, force: true})
    return {root, path: relative, keptChanges, ignoreRule}
  } finally {
    await lock.release()
  }
}

/** The mount's local changes not on its server (found as `sync status` finds them), its own lock held meanwhile. */
async function unsent(dir: string): Promise<string[]> {
  const folder = await SyncFolder.open(dir)
  try {
    const lock = await lockFolder(folder.layout.syncDir, dir)
    try {
      return (await folderStatus(folder)).pendingUploads.map((u) => u.path)
    } finally {
      await lock.release()
    }
  } finally {
    await folder.close()
  }
}

async function addRule(file: string, rule: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => '')
  if (text.split('\n').includes(rule)) return
  await appendFile(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${rule}\n`)
}
