/**
 * An open synced folder: its settings, its LMDB environment, its chunk store, and its sync state (loaded through
 * `loadState`: any saved change of the state flushes the store first and removes the clean snapshot).
 */
import type {RootDatabase} from 'lmdb'
import {type KindRules, DEFAULT_KIND_RULES} from '../chunk/file-kind.js'
import {openEnv} from '../db/open-env.js'
import {removeCleanSnapshot, writeCleanSnapshot} from '../state/clean-snapshot.js'
import {FolderState} from '../state/folder-state.js'
import {ChunkStore} from '../store/chunk-store.js'
import {DEFAULT_DELETE_GUARD, type DeleteGuardSettings} from '../sync/delete-guard.js'
import {DEFAULT_FOLDER_GC, type FolderGcSettings} from '../sync/gc-settings.js'
import {type FolderConfig, readConfig} from './config.js'
import {findRoot} from './find-root.js'
import {type FolderLayout, folderLayout} from './layout.js'

export class SyncFolder {
  private constructor(
    readonly layout: FolderLayout,
    readonly config: FolderConfig,
    readonly env: RootDatabase,
    readonly store: ChunkStore,
  ) {}

  /** Opens the synced folder that holds `start` (the folder itself or any path below it). */
  static async open(start: string): Promise<SyncFolder> {
    const layout = folderLayout(await findRoot(start))
    const config = await readConfig(layout.config)
    const env = openEnv(layout.db)
    return new SyncFolder(layout, config, env, ChunkStore.open(env, layout.packs))
  }

  get root(): string {
    return this.layout.root
  }

  get kindRules(): KindRules {
    return {
      textExtensions: this.config.textExtensions ?? DEFAULT_KIND_RULES.textExtensions,
      binaryExtensions: this.config.binaryExtensions ?? DEFAULT_KIND_RULES.binaryExtensions,
    }
  }

  /** The folder's sync state, read from disk now. */
  loadState(): FolderState {
    return FolderState.load(this.env, {beforeSave: () => removeCleanSnapshot(this.layout.clean), chunks: this.store})
  }

  /** Records that the folder is in sync as `state` says (sync once then skips its pass while nothing changes). */
  async markClean(state: FolderState): Promise<void> {
    await writeCleanSnapshot(this.layout.clean, state)
  }

  get deleteGuard(): DeleteGuardSettings {
    return {...DEFAULT_DELETE_GUARD, ...this.config.deleteGuard}
  }

  get gcSettings(): FolderGcSettings {
    return {...DEFAULT_FOLDER_GC, ...this.config.gc}
  }

  async close(): Promise<void> {
    try {
      await this.store.close()
    } finally {
      await this.env.close()
    }
  }
}
