import {SyncError} from './sync-error.js'

/** The server could not be reached or the connection failed (refused, reset, timed out): worth retrying later. */
export class NetworkError extends SyncError {
  static readonly code = 'E_NETWORK'
  readonly code = NetworkError.code
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, {}, options)
  }
}
