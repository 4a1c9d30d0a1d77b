/** Waits after failures in a row: doubling from `min` up to `max`, back to `min` after a success. */
export class Backoff {
  private failures = 0
  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {}

  next(): number {
    return Math.min(this.max, this.min * 2 ** this.failures++)
  }

  reset(): void {
    this.failures = 0
  }
}
