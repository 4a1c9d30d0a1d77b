import {SyncError} from './sync-error.js'

/** A chunk store whose write failed (ChunkStore.recover makes it take chunks again). */
export class StoreBrokenError extends SyncError {
  static readonly code = 'E_STORE_BROKEN'
  readonly code = StoreBrokenError.code
}
