import {SyncError} from './sync-error.js'

/** A name already in use where names must be unique: a token's device name in its namespace (or among admin tokens). */
export class NameTakenError extends SyncError {
  static readonly code = 'E_NAME_TAKEN'
  readonly code = NameTakenError.code
  constructor(message: string, data: Record<string, unknown> = {}) {
    super(message, data)
  }
}
