import {SyncError} from './sync-error.js'

/**
 * The synced folder a running sync opened is no longer at its path: it was moved, deleted or replaced (another
 * folder, or a copy restored from a backup, now has the name), or its `.sync/` was. Nothing more is synced
 * there by this process: its state belongs to the folder it opened, not to whatever has the path now.
 */
export class FolderGoneError extends SyncError {
  static readonly code = 'E_FOLDER_GONE'
  readonly code = FolderGoneError.code
  constructor(readonly root: string) {
    super(
      `${root} is no longer the folder this sync opened (moved, deleted or replaced, or its .sync/ was): nothing was synced; run sync in the folder's new place`,
      {root},
    )
  }
}
