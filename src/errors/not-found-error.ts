import {SyncError} from './sync-error.js'

/** Something named that does not exist: an unknown route, or a JID not in the namespace. */
export class NotFoundError extends SyncError {
  static readonly code = 'E_NOT_FOUND'
  readonly code = NotFoundError.code
  constructor(message: string, data: Record<string, unknown> = {}) {
    super(message, data)
  }
}
