/**
 * When each token was last used, noted on every request and written at most once a minute (throttled-writes.ts):
 * `sync-server token list`, reading the storage from another process, sees a use within that minute.
 */
import type {TokenStorage} from '../storage/types.js'
import type {SetTimer} from '../waiters.js'
import {THROTTLED_WRITE_MS, ThrottledWrites} from './throttled-writes.js'

export const LAST_USED_WRITE_MS = THROTTLED_WRITE_MS

export interface LastUsedOptions {
  now?: () => number
  setTimer?: SetTimer
  /** A failed write: the uses it held are dropped (the next use is written again). */
  onError: (error: unknown) => void
}

export class LastUsed {
  private readonly writes: ThrottledWrites<string, number>
  private readonly now: () => number

  constructor(tokens: TokenStorage, options: LastUsedOptions) {
    this.now = options.now ?? Date.now
    this.writes = new ThrottledWrites((uses) => tokens.markUsed(uses), options)
  }

  /** Notes a use of `token` (one that storage knows) now. */
  touch(token: string): void {
    this.writes.note(token, this.now())
  }

  /** Writes the pending uses in one write. */
  flush(): Promise<void> {
    return this.writes.flush()
  }
}
