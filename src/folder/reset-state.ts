/**
 * Rebuilding a folder's sync state while keeping its files (`sync config set ... --reset`), as docs/storage.md
 * describes doing by hand: a new `.sync/` (empty state and store, the new config, this device's ignore rules,
 * pause and encryption key kept) replaces the old one by rename. The next pass then meets the server's files as if for the
 * first time: equal files are recorded, the rest sent or fetched, and a file that differs from the server's is
 * kept as a conflict copy; nothing is deleted anywhere. The versions kept on this device go into the new `.sync/`
 * (carry-kept-versions.ts). The caller holds the folder's lock: the new `.sync/`
 * holds it too from the first instant, so no daemon starts in between.
 *
 * The swap is two renames (the old `.sync/` aside, the new one in): a crash between them leaves no `.sync/`.
 * The new one is marked complete before they start, so finding the folder (find-root.ts) finishes the swap.
 */
import {copyFile, readdir, rename, rm, stat, symlink} from 'node:fs/promises'
import path from 'node:path'
import {NoSpaceError} from '../errors/no-space-error.js'
import {DEVICE_IGNORE} from '../scan/ignore-rules.js'
import {crashPoint} from '../util/crash-point.js'
import {carryKeptVersions, type CarriedKept} from './carry-kept-versions.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {tempPathFor} from '../util/temp-path.js'
import {writeFileAtomic} from '../util/write-file-atomic.js'
import type {FolderConfig} from './config.js'
import {lockFile} from './folder-lock.js'
import {buildSyncDir} from './init-folder.js'
import {isCompleteReset, isResetLeftover, STAGED} from './reset-leftovers.js'
import {folderLayout, type FolderLayout} from './layout.js'

export async function resetSyncState(layout: FolderLayout, config: FolderConfig): Promise<CarriedKept> {
  const staging = tempPathFor(layout.syncDir)
  const inside = (file: string) => path.join(staging, path.basename(file))
  let kept: CarriedKept
  try {
    await buildSyncDir(staging, config)
    // An encrypted folder's key is kept with it (the config still says `encrypted`).
    for (const file of [path.basename(DEVICE_IGNORE), path.basename(layout.paused), path.basename(layout.keys)])
      await copyFile(path.join(layout.syncDir, file), inside(file)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      })
    kept = await carryKeptVersions(layout, {db: inside(layout.db), packs: inside(layout.packs)})
    crashPoint('reset-mid-build')
    await symlink(String(process.pid), lockFile(staging))
    await writeFileAtomic(path.join(staging, STAGED), '')
  } catch (error) {
    await rm(staging, {recursive: true, force: true})
    // Said of the folder: the staging named in the cause is gone.
    if (NoSpaceError.from(error))
      throw new NoSpaceError(`no space left on the disk of ${layout.root} to build its new sync state: free some and try again (nothing was changed)`, {
        cause: error,
      })
    throw error
  }
  const old = tempPathFor(layout.syncDir)
  await rename(layout.syncDir, old)
  crashPoint('reset-between-renames')
  await rename(staging, layout.syncDir).catch(async (error: NodeJS.ErrnoException) => {
    // Another process found no `.sync/` in the instant between the renames and finished the swap itself.
    if (error.code !== 'ENOENT' || !(await isDir(layout.syncDir))) throw error
  })
  await fsyncDir(layout.root)
  await rm(path.join(layout.syncDir, STAGED), {force: true})
  crashPoint('reset-before-removing-old')
  await rm(old, {recursive: true, force: true})
  return kept
}

/**
 * Finishes a reset that a crash stopped between its renames: in `root`, which has no `.sync/`, a complete new one
 * waits under a temp name; it takes its place, and the old state (and any unfinished staging) goes. Whether it
 * found one to finish.
 */
export async function finishInterruptedReset(root: string): Promise<boolean> {
  const layout = folderLayout(root)
  const leftovers = (await readdir(root).catch(() => [])).filter(isResetLeftover)
  for (const name of leftovers) {
    const dir = path.join(root, name)
    if (!(await isCompleteReset(dir))) continue
    try {
      await rename(dir, layout.syncDir)
    } catch {
      // Finished meanwhile by another process, or a `.sync/` came back: the caller looks again.
      return isDir(layout.syncDir)
    }
    await fsyncDir(root)
    await rm(path.join(layout.syncDir, STAGED), {force: true})
    for (const other of leftovers) if (other !== name) await rm(path.join(root, other), {recursive: true, force: true})
    return true
  }
  return false
}

const isDir = (p: string) =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  )
