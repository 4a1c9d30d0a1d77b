/**
 * What the server notes on every request (a token's last use, a device's state) kept in memory and written in one
 * batch a minute after the first note since the last write: a record is written at most once a minute (never once
 * a request), and another process reading the storage sees a note within that minute. `flush` writes what is
 * pending now (at shutdown, before storage closes).
 */
import type {SetTimer} from '../waiters.js'

export const THROTTLED_WRITE_MS = 60_000

/** A pending write does not keep the process alive: what it holds is written by `flush` at shutdown. */
const unrefTimer: SetTimer = (done, ms) => {
  const timer = setTimeout(done, ms).unref()
  return () => clearTimeout(timer)
}

export interface ThrottledWritesOptions {
  setTimer?: SetTimer
  /** A failed write: the notes it held are dropped (the next note is written again). */
  onError: (error: unknown) => void
}

export class ThrottledWrites<K, V> {
  private pending = new Map<K, V>()
  private cancel: (() => void) | undefined
  private readonly setTimer: SetTimer

  constructor(
    private readonly write: (batch: ReadonlyMap<K, V>) => Promise<void>,
    private readonly options: ThrottledWritesOptions,
  ) {
    this.setTimer = options.setTimer ?? unrefTimer
  }

  /** Notes `value` for `key` (replacing a pending one), written within a minute. */
  note(key: K, value: V): void {
    this.pending.set(key, value)
    this.cancel ??= this.setTimer(() => void this.flush(), THROTTLED_WRITE_MS)
  }

  /** Writes the pending notes in one write. */
  async flush(): Promise<void> {
    this.cancel?.()
    this.cancel = undefined
    const batch = this.pending
    this.pending = new Map()
    if (batch.size === 0) return
    try {
      await this.write(batch)
    } catch (error) {
      this.options.onError(error)
    }
  }
}
