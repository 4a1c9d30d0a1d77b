import {SyncError} from './sync-error.js'

/** A pack file whose write failed: the writer refuses further use. */
export class PackBrokenError extends SyncError {
  static readonly code = 'E_PACK_BROKEN'
  readonly code = PackBrokenError.code
}
