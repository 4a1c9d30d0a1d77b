import {SyncError} from './sync-error.js'

/** Stored data in a format this version of sync does not read: written by a newer version, or by a pre-release one. */
export class UnknownFormatError extends SyncError {
  static readonly code = 'E_FORMAT'
  readonly code = UnknownFormatError.code
  constructor(message: string, data: Record<string, unknown> = {}) {
    super(message, data)
  }
}
