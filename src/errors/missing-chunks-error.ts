import {SyncError} from './sync-error.js'

/** Chunks that a file version needs and the store (or the server) does not have. */
export class MissingChunksError extends SyncError {
  static readonly code = 'E_MISSING_CHUNKS'
  readonly code = MissingChunksError.code
  constructor(
    readonly ids: string[],
    where = 'the local store',
  ) {
    super(`${ids.length} chunk${ids.length === 1 ? '' : 's'} missing from ${where}: ${ids.slice(0, 3).join(' ')}${ids.length > 3 ? ' ...' : ''}`, {ids})
  }
}
