import {SyncError} from './sync-error.js'

/** Chunk bytes received from a peer that do not hash to the id they were sent as. Nothing of them is stored. */
export class ChunkMismatchError extends SyncError {
  static readonly code = 'E_CHUNK_MISMATCH'
  readonly code = ChunkMismatchError.code
  constructor(readonly ids: string[]) {
    super(
      `${ids.length} chunk${ids.length === 1 ? '' : 's'} do not match ${ids.length === 1 ? 'its id' : 'their ids'}: ${ids.slice(0, 3).join(' ')}${ids.length > 3 ? ' ...' : ''}`,
      {ids},
    )
  }
}
