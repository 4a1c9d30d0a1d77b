import {SyncError} from './sync-error.js'

/** The server speaks a protocol version this client does not (docs/protocol.md, Versions). */
export class IncompatibleServerError extends SyncError {
  static readonly code = 'E_PROTOCOL'
  readonly code = IncompatibleServerError.code
  constructor(message: string, data: Record<string, unknown> = {}) {
    super(message, data)
  }
}
