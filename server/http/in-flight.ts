/**
 * Counts the requests being answered, so that a shutting-down server closes its storage only after the last of
 * them has settled. Its connections closing is not enough: a long-poll woken by the drain goes on reading the
 * journal and chunks after its client went away (a daemon stopped at the same time), and a streamed body reads
 * chunks until it ends. A request counts until its handlers have returned and its response has closed (sent, or
 * cut with its connection); a streamed body, until the stream is done too.
 */
import {Readable} from 'node:stream'
import {finished} from 'node:stream/promises'
import type {Middleware} from 'koa'

export class InFlight {
  private count = 0
  private idle: (() => void)[] = []

  get size(): number {
    return this.count
  }

  /** Outermost middleware: every request counts, whatever the inner ones do. */
  middleware(): Middleware {
    return async (ctx, next) => {
      this.count++
      const closed = new Promise<void>((resolve) => ctx.res.once('close', () => resolve()))
      try {
        await next()
      } finally {
        void this.settle(closed, ctx.body)
      }
    }
  }

  /** Resolves once no request is being answered. */
  settled(): Promise<void> {
    if (this.count === 0) return Promise.resolve()
    return new Promise((resolve) => this.idle.push(resolve))
  }

  private async settle(closed: Promise<void>, body: unknown): Promise<void> {
    await closed
    // Koa destroys a stream body when its response finishes: this ends, also for a client gone mid-way.
    if (body instanceof Readable) await finished(body).catch(() => {})
    if (--this.count > 0) return
    for (const resolve of this.idle.splice(0)) resolve()
  }
}
