import {SyncError} from './sync-error.js'

/** The passphrase does not derive the key of the namespace's encryption setting (its key check differs). */
export class WrongPassphraseError extends SyncError {
  static readonly code = 'E_WRONG_PASSPHRASE'
  readonly code = WrongPassphraseError.code
}
