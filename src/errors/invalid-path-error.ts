import {SyncError} from './sync-error.js'

/** A path that breaks the protocol's path rules (src/paths/check-path.ts): absolute, `..`, NUL, `.sync/`, too long... */
export class InvalidPathError extends SyncError {
  static readonly code = 'E_INVALID_PATH'
  readonly code = InvalidPathError.code
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    // JSON-quoted so that a control character in the path cannot break the one-line message.
    super(`invalid path ${JSON.stringify(path.length > 80 ? `${path.slice(0, 77)}...` : path)}: ${reason}`, {reason})
  }
}
