import {SyncError} from './sync-error.js'

/** No `.sync/` in the folder or any parent: the folder was never set up with `sync init`. */
export class NotASyncFolderError extends SyncError {
  static readonly code = 'E_NOT_A_SYNC_FOLDER'
  readonly code = NotASyncFolderError.code
  constructor(
    readonly dir: string,
    message = `not a sync folder (or any of its parents): ${dir}; run 'sync init' first`,
  ) {
    super(message, {dir})
  }
}
