/**
 * Rebuilding a folder's sync state while keeping its files (`sync config set ... --reset`), as docs/storage.md
 * describes doing by hand: a new `.sync/` (empty state and store, the new config, this device's ignore rules
 * and pause kept) replaces the old one by rename. The next pass then meets the server's files as if for the
 * first time: equal files are recorded, the rest sent or fetched, and a file that differs from the server's is
 * kept as a conflict copy; nothing is deleted anywhere. The caller holds the folder's lock: the new `.sync/`
 * holds it too from the first instant, so no daemon starts in between.
 */
import {copyFile, rename, rm, symlink} from 'node:fs/promises'
import path from 'node:path'
import {DEVICE_IGNORE} from '../scan/ignore-rules.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {tempPathFor} from '../util/temp-path.js'
import type {FolderConfig} from './config.js'
import {lockFile} from './folder-lock.js'
import {buildSyncDir} from './init-folder.js'
import type {FolderLayout} from './layout.js'

export async function resetSyncState(layout: FolderLayout, config: FolderConfig): Promise<void> {
  const staging = tempPathFor(layout.syncDir)
  try {
    await buildSyncDir(staging, config)
    for (const kept of [path.basename(DEVICE_IGNORE), path.basename(layout.paused)])
      await copyFile(path.join(layout.syncDir, kept), path.join(staging, kept)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      })
    await symlink(String(process.pid), lockFile(staging))
  } catch (error) {
    await rm(staging, {recursive: true, force: true})
    throw error
  }
  const old = tempPathFor(layout.syncDir)
  await rename(layout.syncDir, old)
  await rename(staging, layout.syncDir)
  await fsyncDir(layout.root)
  await rm(old, {recursive: true, force: true})
}
