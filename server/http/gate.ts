/** At most `size` jobs at once, the rest wait in order: bounds the memory that packs in flight can take. */
export class Gate {
  private running = 0
  private readonly queue: (() => void)[] = []

  constructor(private readonly size: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    while (this.running >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve))
    this.running++
    try {
      return await job()
    } finally {
      this.running--
      this.queue.shift()?.()
    }
  }
}
