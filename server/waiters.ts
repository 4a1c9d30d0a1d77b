/**
 * Long-poll waiters, per namespace: a commit wakes only its namespace's waiters. Every wait is bounded (its own
 * timeout), ends when the client goes away, and ends at once when the server shuts down.
 */
type Waiter = (() => void) & {client?: string}

/** Runs `done` after `ms`; the returned function cancels it. Tests pass a clock they move by hand. */
export type SetTimer = (done: () => void, ms: number) => () => void

const realTimer: SetTimer = (done, ms) => {
  const timer = setTimeout(done, ms)
  return () => clearTimeout(timer)
}

export class Waiters {
  private readonly byNamespace = new Map<string, Set<Waiter>>()
  private waiting = 0
  private closed = false

  constructor(private readonly setTimer: SetTimer = realTimer) {}

  get count(): number {
    return this.waiting
  }

  /**
   * Resolves on the namespace's next wake-up, after `ms`, when `signal` aborts, or at `close`, whichever is first.
   * A commit by the same `client` (the client's random id) does not wake its own long-poll: it knows its commits.
   */
  wait(namespace: string, ms: number, signal: AbortSignal, client?: string): Promise<void> {
    if (this.closed || signal.aborted) return Promise.resolve()
    let set = this.byNamespace.get(namespace)
    if (!set) this.byNamespace.set(namespace, (set = new Set()))
    const waiters = set
    return new Promise((resolve) => {
      const done: Waiter = () => {
        cancel()
        signal.removeEventListener('abort', done)
        waiters.delete(done)
        if (waiters.size === 0 && this.byNamespace.get(namespace) === waiters) this.byNamespace.delete(namespace)
        this.waiting--
        resolve()
      }
      done.client = client
      const cancel = this.setTimer(done, ms)
      signal.addEventListener('abort', done)
      waiters.add(done)
      this.waiting++
    })
  }

  /** Wakes the namespace's waiters, except those of the client that made the change. */
  wake(namespace: string, exceptClient?: string): void {
    const set = this.byNamespace.get(namespace)
    if (set) for (const done of [...set]) if (exceptClient === undefined || done.client !== exceptClient) done()
  }

  /** Wakes every waiter of every namespace: each answers with what the journal has now. */
  wakeAll(): void {
    for (const namespace of [...this.byNamespace.keys()]) this.wake(namespace)
  }

  /** Answers every waiter now and every later wait at once (the server is draining). */
  close(): void {
    this.closed = true
    this.wakeAll()
  }
}
