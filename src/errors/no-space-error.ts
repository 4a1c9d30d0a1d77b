import {SyncError} from './sync-error.js'

/** The disk (or a quota) is full: nothing of the request was kept; it can be sent again once there is room. */
export class NoSpaceError extends SyncError {
  static readonly code = 'E_NO_SPACE'
  readonly code = NoSpaceError.code
  /** The server's disk or the namespace's quota (a 507 answer), not this device's: no room here would help. */
  readonly onServer: boolean
  constructor(message = 'no space left on the device that stores the chunks; try again once there is room', options?: {cause?: unknown; onServer?: boolean}) {
    super(message, {}, options)
    this.onServer = options?.onServer === true
  }

  /** `error` as a NoSpaceError when it (or what caused it) is one, or the OS saying the disk or a quota is full. */
  static from(error: unknown): NoSpaceError | undefined {
    for (let cause = error; cause instanceof Error; cause = cause.cause) {
      if (cause instanceof NoSpaceError) return cause
      // lmdb-js gives the errno as a number (28, or 122 for a quota on Linux).
      const code = (cause as {code?: unknown}).code
      if (code === 'ENOSPC' || code === 'EDQUOT' || code === 28 || code === 122) return new NoSpaceError(undefined, {cause: error})
    }
    return undefined
  }
}
