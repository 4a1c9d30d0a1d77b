import {SyncError} from './sync-error.js'

/**
 * Sealed bytes of an encrypted namespace that do not open with the folder's key (src/crypto/seal.ts): tampered
 * with on the server or on the way, or sealed with another key. The message names what (a path, a chunk).
 */
export class SealBrokenError extends SyncError {
  static readonly code = 'E_SEAL_BROKEN'
  readonly code = SealBrokenError.code
}
