import {SyncError} from './sync-error.js'

/**
 * This client speaks a protocol the server no longer serves in full (docs/protocol.md, Versions): refused outright
 * (below every protocol the server serves), or for writing (a protocol it serves read-only: `data.readOnly`). The
 * message names the command that updates the client.
 */
export class ClientTooOldError extends SyncError {
  static readonly code = 'E_CLIENT_TOO_OLD'
  readonly code = ClientTooOldError.code
  constructor(message: string, data: Record<string, unknown> = {}) {
    super(message, data)
  }
}
