import {SyncError} from './sync-error.js'

/**
 * A client and a namespace that disagree on encryption: a client that does not seal (an older one, or a plain
 * folder) on an encrypted namespace, a sealing one on a plain namespace, plaintext forms sent to an encrypted one,
 * or an encryption setting for a namespace that already has one or has files.
 */
export class EncryptionMismatchError extends SyncError {
  static readonly code = 'E_ENCRYPTION'
  readonly code = EncryptionMismatchError.code
}
