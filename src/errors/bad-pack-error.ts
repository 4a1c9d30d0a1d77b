import {SyncError} from './sync-error.js'

/** A wire pack that is not well formed: does not inflate, truncated, foreign tar entries, inconsistent blocks. */
export class BadPackError extends SyncError {
  static readonly code = 'E_BAD_PACK'
  readonly code = BadPackError.code
  constructor(message: string, options?: {cause?: unknown}) {
    super(`bad pack: ${message}`, {}, options)
  }
}
