/**
 * An open synced folder: its settings, its LMDB environment, its chunk store, and its sync state (loaded through
 * `loadState`: any saved change of the state flushes the store first and removes the clean snapshot).
 */
import {closeSync, constants, fstatSync, openSync, statSync} from 'node:fs'
import path from 'node:path'
import type {RootDatabase} from 'lmdb'
import {type KindRules, DEFAULT_KIND_RULES} from '../chunk/file-kind.js'
import {openEnv} from '../db/open-env.js'
import {removeCleanSnapshot, writeCleanSnapshot} from '../state/clean-snapshot.js'
import {FolderState} from '../state/folder-state.js'
import {DEFAULT_KEEP_DAYS} from '../state/kept-versions.js'
import {ChunkStore} from '../store/chunk-store.js'
import {DEFAULT_DELETE_GUARD, type DeleteGuardSettings} from '../sync/delete-guard.js'
import {DEFAULT_FOLDER_GC, type FolderGcSettings} from '../sync/gc-settings.js'
import {type FolderConfig, readConfig} from './config.js'
import {findRoot} from './find-root.js'
import {FolderGoneError} from '../errors/index.js'
import {type FolderLayout, folderLayout} from './layout.js'

export class SyncFolder {
  private constructor(
    readonly layout: FolderLayout,
    readonly config: FolderConfig,
    readonly env: RootDatabase,
    readonly store: ChunkStore,
    private readonly opened: FileIdentity[],
    private pinned: number | undefined,
  ) {}

  /** Opens the synced folder that holds `start` (the folder itself or any path below it). */
  static async open(start: string): Promise<SyncFolder> {
    const layout = folderLayout(await findRoot(start))
    const config = await readConfig(layout.config)
    const env = openEnv(layout.db)
    // Held open while the folder is, so that `.sync/` keeps its inode number (as lmdb's open database file does):
    // file systems that make the numbers up (SMB mounted with noserverino, FUSE) may number an inode anew once
    // nothing holds it, and checkInPlace would then see another folder.
    const pinned = openSync(layout.syncDir, constants.O_RDONLY | constants.O_DIRECTORY)
    const opened = [fstatSync(pinned), statSync(databaseFile(layout))].map(({dev, ino}) => ({dev, ino}))
    return new SyncFolder(layout, config, env, ChunkStore.open(env, layout.packs), opened, pinned)
  }

  /**
   * Throws FolderGoneError unless the folder is still the one opened: its `.sync/` and database the same files
   * (device and inode). A folder moved, deleted or replaced under a running daemon (renamed, a backup restored
   * in its place) would otherwise be written to through the old database, now another folder's or none, and
   * have its files scanned against a state that is not theirs. One stat per file: asked before every pass.
   */
  checkInPlace(): void {
    if (!this.isInPlace()) throw new FolderGoneError(this.root)
  }

  isInPlace(): boolean {
    const now = identitiesOf(this.layout)
    return now !== undefined && now.every(({dev, ino}, i) => dev === this.opened[i]!.dev && ino === this.opened[i]!.ino)
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
    return FolderState.load(this.env, {beforeSave: () => removeCleanSnapshot(this.layout.clean), chunks: this.store, keepsVersions: this.keepDays > 0})
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

  /** Days a replaced version made here is kept (kept-versions.ts). */
  get keepDays(): number {
    return this.config.keepDays ?? DEFAULT_KEEP_DAYS
  }

  async close(): Promise<void> {
    try {
      await this.store.close()
    } finally {
      // Once only: a number closed twice could by then be another file's.
      if (this.pinned !== undefined) closeSync(this.pinned)
      this.pinned = undefined
      await this.env.close()
    }
  }
}

interface FileIdentity {
  dev: number
  ino: number
}

const databaseFile = (layout: FolderLayout) => path.join(layout.db, 'data.mdb')

/** The identities of the folder's `.sync/` and database file, or undefined when one cannot be found. */
function identitiesOf(layout: FolderLayout): FileIdentity[] | undefined {
  try {
    return [layout.syncDir, databaseFile(layout)].map((file) => {
      const {dev, ino} = statSync(file)
      return {dev, ino}
    })
  } catch {
    return undefined
  }
}
