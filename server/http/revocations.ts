/**
 * Tokens in use, watched for revocation. `sync-server token --revoke` runs in another process and writes only to
 * storage, so while requests are in flight the storage's revocation counter is polled (one read per interval);
 * when it moves, every watched token is looked up again and the requests of a revoked one are aborted: a
 * long-poll of a revoked token ends at once instead of answering with what it was waiting for.
 */
import type {TokenGrant, TokenStorage} from '../storage/types.js'

const POLL_MS = 200

export interface TokenWatch {
  /** Aborts when the token is revoked. */
  signal: AbortSignal
  release(): void
}

export class Revocations {
  private readonly watched = new Map<string, Set<AbortController>>()
  private timer: NodeJS.Timeout | undefined
  /** The counter as last read; undefined until the first read after the timer starts. */
  private seen: number | undefined
  private polling = false

  constructor(
    private readonly tokens: TokenStorage,
    private readonly pollMs = POLL_MS,
  ) {}

  lookup(token: string): Promise<TokenGrant | undefined> {
    return this.tokens.lookup(token)
  }

  /** Watches `token` until `release`. */
  watch(token: string): TokenWatch {
    const controller = new AbortController()
    let set = this.watched.get(token)
    if (!set) this.watched.set(token, (set = new Set()))
    set.add(controller)
    if (!this.timer) {
      this.seen = undefined
      this.timer = setInterval(() => void this.poll(), this.pollMs).unref()
      void this.poll()
    }
    const release = () => {
      set.delete(controller)
      if (set.size === 0 && this.watched.get(token) === set) this.watched.delete(token)
      if (this.watched.size === 0) this.stop()
    }
    return {signal: controller.signal, release}
  }

  /**
   * Looks tokens up again when the counter moved. The first read has nothing to compare with, and a token checked
   * before it may have been revoked since: it looks them up too.
   */
  private async poll(): Promise<void> {
    if (this.polling) return
    this.polling = true
    try {
      const now = await this.tokens.revocations()
      if (now === this.seen) return
      this.seen = now
      for (const [token, controllers] of this.watched) {
        if ((await this.tokens.lookup(token)) === undefined) for (const controller of controllers) controller.abort()
      }
    } catch {
      // Storage that cannot be read now is read again at the next tick.
    } finally {
      this.polling = false
    }
  }

  private stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }
}
