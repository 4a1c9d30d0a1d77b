import {SyncError} from './sync-error.js'

/** A chunk id that is not 64 lowercase or uppercase hex digits. */
export class InvalidIdError extends SyncError {
  static readonly code = 'E_INVALID_ID'
  readonly code = InvalidIdError.code
  constructor(readonly id: string) {
    super(`malformed chunk id '${id.length > 80 ? `${id.slice(0, 77)}...` : id}': expected 64 hex digits`, {id})
  }
}
