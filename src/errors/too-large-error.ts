import {SyncError} from './sync-error.js'

/** Input over a stated limit (a chunk, a pack, a request body). */
export class TooLargeError extends SyncError {
  static readonly code = 'E_TOO_LARGE'
  readonly code = TooLargeError.code
  constructor(
    what: string,
    readonly limit: number,
  ) {
    super(`${what} is over the limit of ${limit} bytes`, {limit})
  }
}
