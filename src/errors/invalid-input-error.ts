import {SyncError} from './sync-error.js'

/** Input that is malformed in a way no other error names (a bad path, a bad flag value, a bad manifest). */
export class InvalidInputError extends SyncError {
  static readonly code = 'E_INVALID_INPUT'
  readonly code = InvalidInputError.code
  constructor(message: string, data: Record<string, unknown> = {}) {
    super(message, data)
  }
}
