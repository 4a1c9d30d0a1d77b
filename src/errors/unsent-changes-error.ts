import {SyncError} from './sync-error.js'

/** A folder still has local changes its server has not taken (`sync unmount` refuses rather than strand them). */
export class UnsentChangesError extends SyncError {
  static readonly code = 'E_UNSENT_CHANGES'
  readonly code = UnsentChangesError.code
  constructor(message: string, paths: string[]) {
    super(message, {paths})
  }
}
