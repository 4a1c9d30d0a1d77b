import {SyncError} from './sync-error.js'

/** The folder is paused (`sync pause`): nothing syncs it until `sync resume` (or `sync once --force`). */
export class FolderPausedError extends SyncError {
  static readonly code = 'E_PAUSED'
  readonly code = FolderPausedError.code
  constructor(
    readonly root: string,
    readonly since: number,
  ) {
    super(`${root} is paused (since ${new Date(since).toISOString()}): 'sync resume' syncs it again`, {root, since})
  }
}
