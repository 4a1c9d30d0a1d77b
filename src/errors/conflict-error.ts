import {SyncError} from './sync-error.js'

/** A commit refused by compare-and-set: the path moved past the base the client named. `data.head` is the current head. */
export class ConflictError extends SyncError {
  static readonly code = 'E_CONFLICT'
  readonly code = ConflictError.code
  constructor(
    readonly path: string,
    base: number | null,
    head: {jid: number} & Record<string, unknown>,
  ) {
    super(`conflict: ${path} moved past ${base === null ? 'a new file' : `JID ${base}`}; its head is JID ${head.jid}`, {path, base, head})
  }
}
