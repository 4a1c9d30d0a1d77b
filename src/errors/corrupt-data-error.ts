import {SyncError} from './sync-error.js'

/** Stored bytes that fail their check: a pack block that does not inflate, or a chunk whose hash is not its id. */
export class CorruptDataError extends SyncError {
  static readonly code = 'E_CORRUPT'
  readonly code = CorruptDataError.code
  constructor(message: string, data: Record<string, unknown> = {}, options?: {cause?: unknown}) {
    super(message, data, options)
  }
}
