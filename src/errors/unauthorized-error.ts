import {SyncError} from './sync-error.js'

/** No token, or a token the server does not know (never issued, or revoked). */
export class UnauthorizedError extends SyncError {
  static readonly code = 'E_UNAUTHORIZED'
  readonly code = UnauthorizedError.code
  constructor(message = 'no valid token: give one as Authorization: Bearer TOKEN') {
    super(message)
  }
}
