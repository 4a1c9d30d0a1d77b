import {SyncError} from './sync-error.js'

/** The server could not be reached or the connection failed (refused, reset, timed out): worth retrying later. */
export class NetworkError extends SyncError {
  readonly code = 'E_NETWORK'
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, {}, options)
  }
}
