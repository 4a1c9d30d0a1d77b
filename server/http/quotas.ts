/**
 * Namespaces' quotas (server/storage/namespace-quota.ts), kept on the routes that store chunks: a pack upload and
 * a commit's inline chunks. A write that would take its namespace past its quota is refused with NoSpaceError
 * (507 E_NO_SPACE) before any of it is stored. A write that stores nothing (a deletion, a move, a commit of
 * chunks sent before) is always taken: deleting is how a namespace gets back under, once garbage collection
 * reclaims what the pruned history held.
 *
 * A namespace's usage (its packs' bytes: NamespaceChunks.usage) is read from storage at most every
 * USAGE_KEPT_MS, and counts each write it admits meanwhile; other instances' writes, and chunks staged in the
 * journal's database before they are packed, are seen at the next read: a namespace can overshoot its quota by
 * what a few seconds of writes bring, never by more.
 */
import {NoSpaceError} from '#src/errors/index.js'
import {formatSize} from '../storage/namespace-quota.js'
import type {ServerStorage} from '../storage/types.js'

export const USAGE_KEPT_MS = 5000

interface Known {
  quota?: number
  used: number
  until: number
}

export class Quotas {
  private readonly known = new Map<string, Promise<Known>>()

  constructor(
    private readonly storage: Pick<ServerStorage, 'settings' | 'chunks'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws NoSpaceError if `bytes` more would take `namespace` past its quota; else counts them. */
  async admit(namespace: string, bytes: number): Promise<void> {
    if (bytes === 0) return
    const known = await this.read(namespace)
    if (known.quota === undefined) return
    if (known.used + bytes > known.quota) {
      throw new NoSpaceError(
        `namespace ${JSON.stringify(namespace)} is at its quota: ${formatSize(known.used)} of ${formatSize(known.quota)} kept, and this write needs ${formatSize(bytes)} more (the server's operator can raise it: sync-server namespace --help)`,
      )
    }
    known.used += bytes
  }

  /** One read of storage at a time per namespace, shared by the writes that wait for it. */
  private read(namespace: string): Promise<Known> {
    const cached = this.known.get(namespace)
    const now = this.now()
    const fresh = cached?.then((known) => (known.until > now ? known : this.load(namespace)))
    const next = fresh ?? this.load(namespace)
    this.known.set(
      namespace,
      next.catch(() => ({used: 0, until: 0})),
    )
    return next
  }

  private async load(namespace: string): Promise<Known> {
    const quota = await this.storage.settings.quota(namespace)
    // A namespace without a quota never pays for a look at its packs.
    const used = quota === undefined ? 0 : (await (await this.storage.chunks.namespace(namespace)).usage()).bytes
    return {quota, used, until: this.now() + USAGE_KEPT_MS}
  }
}
