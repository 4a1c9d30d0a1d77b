/**
 * Keeps garbage collection's index switch apart from requests that count chunks present and then name them (a
 * commit) or store chunks for a commit to name (an upload): those share the lock; the switch holds it alone,
 * waiting for the requests under way and making new ones wait (a few milliseconds: only the switch is inside).
 */
export class SweepLock {
  private holders = 0
  private sweeping?: Promise<void>
  private idle?: () => void

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.sweeping) await this.sweeping
    this.holders++
    try {
      return await work()
    } finally {
      if (--this.holders === 0) this.idle?.()
    }
  }

  /** One at a time: the caller (one collection per store) never overlaps two. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    let release!: () => void
    this.sweeping = new Promise((resolve) => (release = resolve))
    try {
      if (this.holders > 0) await new Promise<void>((resolve) => (this.idle = resolve))
      this.idle = undefined
      return await work()
    } finally {
      this.sweeping = undefined
      release()
    }
  }
}
