import {SyncError} from './sync-error.js'

/**
 * A valid token asking for what it may not do: writing with a read-only token (`data.access` is 'read-only'),
 * or another namespace.
 */
export class ForbiddenError extends SyncError {
  static readonly code = 'E_FORBIDDEN'
  readonly code = ForbiddenError.code
  constructor(message: string, data: Record<string, unknown> = {}) {
    super(message, data)
  }
}
