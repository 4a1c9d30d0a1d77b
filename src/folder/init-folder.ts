/**
 * `sync init`: makes DIR a synced folder. The `.sync/` is built under a temporary name and renamed into place,
 * so a crash leaves either no sync folder or a complete one.
 */
import {mkdir, rename, rm, stat} from 'node:fs/promises'
import path from 'node:path'
import {AlreadyInitializedError, FileAccessError} from '../errors/index.js'
import {openEnv} from '../db/open-env.js'
import {ensureRoom} from '../db/room-for-write.js'
import {FolderState} from '../state/folder-state.js'
import {IndexSegments} from '../store/index-segments.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {tempPathFor} from '../util/temp-path.js'
import {type FolderConfig, type ServerSettings, defaultDeviceName, writeConfig} from './config.js'
import {checkServerSettings} from './server-settings.js'
import {writeFolderKey} from './folder-key.js'
import {folderLayout, SYNC_DIR_NAME} from './layout.js'

export interface InitOptions {
  device?: string
  server?: ServerSettings
  /** A mount of the folder above (mount-folder.ts). */
  mount?: true
  /** An encrypted namespace's key (join-encryption.ts): kept in `.sync/keys.json`, the config says `encrypted`. */
  key?: Buffer
}

export async function initFolder(dir: string, options: InitOptions = {}): Promise<{root: string; config: FolderConfig}> {
  if (options.server) checkServerSettings(options.server)
  const root = path.resolve(dir)
  const existing = await stat(root).catch(() => undefined)
  if (existing && !existing.isDirectory()) throw new FileAccessError(root, 'not-a-folder')
  await mkdir(root, {recursive: true})
  const layout = folderLayout(root)
  if (
    await stat(layout.syncDir).then(
      () => true,
      () => false,
    )
  )
    throw new AlreadyInitializedError(root)

  // Asked here too (openEnv asks when it creates the database) so that a refusal names the folder, not its staging.
  await ensureRoom(root)
  const staging = tempPathFor(path.join(root, SYNC_DIR_NAME))
  const config: FolderConfig = {
    version: 1,
    device: options.device ?? defaultDeviceName(),
    ...(options.server ? {server: options.server} : {}),
    ...(options.mount ? {mount: true} : {}),
    ...(options.key ? {encrypted: true} : {}),
  }
  try {
    await buildSyncDir(staging, config, options.key)
    await rename(staging, layout.syncDir)
  } catch (error) {
    await rm(staging, {recursive: true, force: true})
    if ((error as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new AlreadyInitializedError(root)
    }
    throw error
  }
  await fsyncDir(root)
  return {root, config}
}

/** A new `.sync/` at `dir`, a staging name in the folder that the caller renames into place: an empty store and state, and `config`. */
export async function buildSyncDir(dir: string, config: FolderConfig, key?: Buffer): Promise<void> {
  const layout = folderLayout(path.dirname(dir))
  const inside = (file: string) => path.join(dir, path.basename(file))
  await mkdir(inside(layout.packs), {recursive: true})
  const env = openEnv(inside(layout.db))
  // The state's and the store's tables made now, while there is room: opening them later, on a full disk, reads only.
  FolderState.load(env)
  new IndexSegments(env)
  await env.close()
  if (key) await writeFolderKey(inside(layout.keys), key)
  await writeConfig(inside(layout.config), config)
}
