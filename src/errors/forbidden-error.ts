import {SyncError} from './sync-error.js'

/** A valid token asking for what it may not do: writing with a read-only token, or another namespace. */
export class ForbiddenError extends SyncError {
  readonly code = 'E_FORBIDDEN'
  constructor(message: string) {
    super(message)
  }
}
