import {SyncError} from './sync-error.js'

/** The file on disk is not what the last scan saw: someone is editing it. The change waits for the next pass. */
export class LocalChangedError extends SyncError {
  static readonly code = 'E_LOCAL_CHANGED'
  readonly code = LocalChangedError.code
  constructor(readonly path: string) {
    super(`${path} changed on disk since it was scanned; it will be synced on the next pass`, {path})
  }
}
