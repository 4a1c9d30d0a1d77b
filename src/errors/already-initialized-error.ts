import {SyncError} from './sync-error.js'

/** `sync init` on a folder that already has a `.sync/`. */
export class AlreadyInitializedError extends SyncError {
  static readonly code = 'E_ALREADY_INITIALIZED'
  readonly code = AlreadyInitializedError.code
  constructor(readonly dir: string) {
    super(`${dir} is already a sync folder`, {dir})
  }
}
