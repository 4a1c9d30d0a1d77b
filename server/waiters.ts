/**
 * Long-poll waiters, per namespace: a commit wakes only its namespace's waiters. Every wait is bounded (its own
 * timeout), ends when the client goes away, and ends at once when the server shuts down.
 */
export class Waiters {
  private readonly byNamespace = new Map<string, Set<() => void>>()
  private waiting = 0
  private closed = false

  get count(): number {
    return this.waiting
  }

  /** Resolves on the namespace's next wake-up, after `ms`, when `signal` aborts, or at `close`, whichever is first. */
  wait(namespace: string, ms: number, signal: AbortSignal): Promise<void> {
    if (this.closed || signal.aborted) return Promise.resolve()
    let set = this.byNamespace.get(namespace)
    if (!set) this.byNamespace.set(namespace, (set = new Set()))
    const waiters = set
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        waiters.delete(done)
        if (waiters.size === 0 && this.byNamespace.get(namespace) === waiters) this.byNamespace.delete(namespace)
        this.waiting--
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal.addEventListener('abort', done)
      waiters.add(done)
      this.waiting++
    })
  }

  wake(namespace: string): void {
    const set = this.byNamespace.get(namespace)
    if (set) for (const done of [...set]) done()
  }

  /** Answers every waiter now and every later wait at once (the server is draining). */
  close(): void {
    this.closed = true
    for (const namespace of [...this.byNamespace.keys()]) this.wake(namespace)
  }
}
