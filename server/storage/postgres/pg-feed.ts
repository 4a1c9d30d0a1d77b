/**
 * Wake-ups across instances (CommitFeed) with LISTEN/NOTIFY on one channel. A notice is (namespace, JID, client)
 * only: the journal stays the truth, a missed notice costs latency, never a change. PostgreSQL sends a NOTIFY when
 * its transaction commits, and keeps no history: while the listening connection is down (it reconnects after
 * RECONNECT_MS) notices are lost; once it listens again, subscribers are told of the gap (app.ts then wakes every
 * long-poll of this instance, which reads the journal again).
 */
import pg from 'pg'
import {logger} from '#src/util/logger.js'
import type {CommitFeed, CommitNotice} from '../types.js'

const debug = logger('pg-feed')
export const CHANNEL = 'sync_commits'
const RECONNECT_MS = 500

type Wire = {n: string; j: number; c?: string}

export class PgFeed implements CommitFeed {
  private readonly listeners = new Set<(notice: CommitNotice) => void>()
  private readonly gapListeners = new Set<() => void>()
  private listenedBefore = false
  private client?: pg.Client
  private closed = false
  private timer?: NodeJS.Timeout

  constructor(
    private readonly pool: pg.Pool,
    private readonly config: pg.ClientConfig,
  ) {}

  async publish(notice: CommitNotice): Promise<void> {
    const wire: Wire = {n: notice.namespace, j: notice.jid, ...(notice.client === undefined ? {} : {c: notice.client})}
    await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(wire)])
  }

  subscribe(listener: (notice: CommitNotice) => void, gap?: () => void): () => void {
    this.listeners.add(listener)
    if (gap) this.gapListeners.add(gap)
    if (!this.client && !this.timer) void this.connect()
    return () => {
      this.listeners.delete(listener)
      if (gap) this.gapListeners.delete(gap)
    }
  }

  private heard!: () => void
  /** Resolves once the first LISTEN is in place (a notice published before is not heard here). */
  readonly ready = new Promise<void>((resolve) => (this.heard = resolve))

  private async connect(): Promise<void> {
    this.timer = undefined
    if (this.closed) return
    const client = new pg.Client(this.config)
    this.client = client
    client.on('notification', (message) => this.deliver(message.payload))
    client.on('error', (error) => debug('listening connection failed: %s', error.message))
    client.on('end', () => this.lost(client))
    try {
      await client.connect()
      await client.query(`LISTEN ${CHANNEL}`)
      if (this.client !== client) return
      this.heard()
      if (this.listenedBefore) for (const gap of this.gapListeners) gap()
      this.listenedBefore = true
    } catch (error) {
      debug('cannot listen: %s', (error as Error).message)
      this.lost(client)
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return
    this.client = undefined
    void client.end().catch(() => undefined)
    if (this.closed) return
    this.timer = setTimeout(() => void this.connect(), RECONNECT_MS)
    this.timer.unref()
  }

  private deliver(payload: string | undefined): void {
    let wire: Wire
    try {
      wire = JSON.parse(payload ?? '') as Wire
    } catch {
      return
    }
    if (typeof wire.n !== 'string' || typeof wire.j !== 'number') return
    const notice: CommitNotice = {namespace: wire.n, jid: wire.j, ...(typeof wire.c === 'string' ? {client: wire.c} : {})}
    for (const listener of this.listeners) listener(notice)
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.timer)
    const client = this.client
    this.client = undefined
    await client?.end().catch(() => undefined)
  }
}
