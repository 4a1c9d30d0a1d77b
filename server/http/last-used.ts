/**
 * When each token was last used, kept in memory and written in one batch a minute after the first use since the
 * last write: a token's record is written at most once a minute (never once a request), and `sync-server token
 * list`, reading the storage from another process, sees a use within that minute. `flush` writes what is pending
 * now (at shutdown, before storage closes).
 */
import type {TokenStorage} from '../storage/types.js'
import type {SetTimer} from '../waiters.js'

export const LAST_USED_WRITE_MS = 60_000

/** A pending write does not keep the process alive: what it holds is written by `flush` at shutdown. */
const unrefTimer: SetTimer = (done, ms) => {
  const timer = setTimeout(done, ms).unref()
  return () => clearTimeout(timer)
}

export interface LastUsedOptions {
  now?: () => number
  setTimer?: SetTimer
  /** A failed write: the uses it held are dropped (the next use is written again). */
  onError: (error: unknown) => void
}

export class LastUsed {
  private pending = new Map<string, number>()
  private cancel: (() => void) | undefined
  private readonly now: () => number
  private readonly setTimer: SetTimer

  constructor(
    private readonly tokens: TokenStorage,
    private readonly options: LastUsedOptions,
  ) {
    this.now = options.now ?? Date.now
    this.setTimer = options.setTimer ?? unrefTimer
  }

  /** Notes a use of `token` (one that storage knows) now. */
  touch(token: string): void {
    this.pending.set(token, this.now())
    this.cancel ??= this.setTimer(() => void this.flush(), LAST_USED_WRITE_MS)
  }

  /** Writes the pending uses in one write. */
  async flush(): Promise<void> {
    this.cancel?.()
    this.cancel = undefined
    const batch = this.pending
    this.pending = new Map()
    try {
      await this.tokens.markUsed(batch)
    } catch (error) {
      this.options.onError(error)
    }
  }
}
