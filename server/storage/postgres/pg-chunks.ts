/**
 * Chunks over PostgreSQL and a BlobStore: the index (`chunks`: namespace, id -> pack, block, place in the block;
 * `packs`: namespace, pack -> blob, size, time) in PostgreSQL, the bytes in packs written whole as blobs
 * (blob-pack.ts). Added chunks wait in memory until `flush`, which writes them as packs of up to 64 MiB: each blob
 * first, then its index rows in one transaction, so a crash between leaves a blob no row names (garbage collection deletes
 * it), never a row without bytes.
 *
 * Garbage collection runs on any instance (pg-collect.ts). Requests that count chunks present and then name them
 * (keepPresent) hold the namespace's advisory lock shared, across instances; the collection's switch holds it
 * exclusively (advisory-lock.ts).
 */
import type pg from 'pg'
import {hexToKey} from '#src/chunk/hash.js'
import {MissingChunksError, NoSpaceError} from '#src/errors/index.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import type {CollectHooks, CollectOptions, CollectReport} from '#src/store/collect-garbage.js'
import type {FsckReport} from '#src/store/fsck.js'
import {BlockCache} from '#src/store/block-cache.js'
import {coalesced} from '#src/util/coalesced.js'
import type {BlobStore} from '../blobs/blob-store.js'
import {SweepLock} from '../sweep-lock.js'
import type {NamespaceChunks} from '../types.js'
import {withAdvisoryLock} from './advisory-lock.js'
import {buildPack, chunkOf, inflateBlock, packsOf} from './blob-pack.js'
import {checkChunks} from './pg-check.js'
import {collectChunks} from './pg-collect.js'
import {type ChunkRow, PackIndex} from './pack-index.js'

/** Ids per query: bounds a statement's parameters for a version of a million chunks. */
const BATCH = 10_000

export interface ChunkDeps {
  pool: pg.Pool
  /** The pool advisory locks hold their connections from. */
  locks: pg.Pool
  blobs: BlobStore
}

export class PgNamespaceChunks implements NamespaceChunks {
  /** Added, not yet durable: id (hex) -> bytes. */
  private pending = new Map<string, Uint8Array>()
  private recovered = 0
  private readonly sweep = new SweepLock()
  private readonly cache = new BlockCache(32)
  private readonly flushShared = coalesced(() => this.flushNow())
  readonly index: PackIndex

  constructor(
    private readonly deps: ChunkDeps,
    readonly namespace: string,
  ) {
    this.index = new PackIndex(deps.pool, namespace)
  }

  get recoveries(): number {
    return this.recovered
  }

  /** A collection dropped chunks: callers that counted them present must not count on them. */
  swept(): void {
    this.recovered++
  }

  private get lockName(): string {
    return `sync-chunks:${this.namespace}`
  }

  async missing(ids: Iterable<string>): Promise<string[]> {
    const wanted = [...new Set(ids)].filter((id) => !this.pending.has(id))
    const found = new Set<string>()
    for (let at = 0; at < wanted.length; at += BATCH) for (const row of await this.index.rows(wanted.slice(at, at + BATCH))) found.add(row.id)
    return wanted.filter((id) => !found.has(id))
  }

  async length(id: string): Promise<number | undefined> {
    return (await this.lengths([id])).get(id)
  }

  async totalLength(ids: Iterable<string>): Promise<number | undefined> {
    const list = [...ids]
    const lengths = await this.lengths(list)
    let total = 0
    for (const id of list) {
      const length = lengths.get(id)
      if (length === undefined) return undefined
      total += length
    }
    return total
  }

  private async lengths(ids: string[]): Promise<Map<string, number>> {
    const lengths = new Map<string, number>()
    const stored: string[] = []
    for (const id of new Set(ids)) {
      const bytes = this.pending.get(id)
      if (bytes) lengths.set(id, bytes.length)
      else stored.push(id)
    }
    for (let at = 0; at < stored.length; at += BATCH) for (const row of await this.index.rows(stored.slice(at, at + BATCH))) lengths.set(row.id, row.length)
    return lengths
  }

  async add(chunks: Iterable<PackChunk>): Promise<number> {
    const given = new Map<string, Uint8Array>()
    for (const {id, bytes} of chunks) given.set(id, bytes)
    let added = 0
    for (const id of await this.missing(given.keys())) {
      this.pending.set(id, Uint8Array.from(given.get(id)!))
      added++
    }
    return added
  }

  flush(): Promise<void> {
    return this.flushShared()
  }

  private async flushNow(): Promise<void> {
    const batch = this.pending
    if (batch.size === 0) return
    this.pending = new Map()
    try {
      for (const part of packsOf([...batch].map(([id, chunk]) => [hexToKey(id), chunk]))) {
        const {bytes, placed} = await buildPack(part)
        await this.index.addPack(bytes.length, placed, (blob) => this.deps.blobs.put(blob, bytes))
      }
    } catch (error) {
      // The chunks of a failed flush are dropped: the uploader sends them again.
      this.recovered++
      throw NoSpaceError.from(error) ?? error
    }
  }

  async read(id: string): Promise<Buffer> {
    const waiting = this.pending.get(id)
    if (waiting) return Buffer.from(waiting)
    const [row] = await this.index.rows([id])
    if (!row) throw new MissingChunksError([id])
    return chunkOf(await this.block(row), hexToKey(id), {offset: row.chunk_offset, length: row.length}, row.blob)
  }

  /** The inflated block a row places its chunk in (from a small cache: a file's chunks are read in order). */
  async block(row: ChunkRow, cache = true): Promise<Buffer> {
    const key = `${row.blob}:${row.block_offset}`
    const cached = cache ? this.cache.get(key) : undefined
    if (cached) return cached
    const plain = await inflateBlock(await this.deps.blobs.read(row.blob, Number(row.block_offset), row.block_length))
    if (cache) this.cache.set(key, plain)
    return plain
  }

  async usage(): Promise<{packs: number; bytes: number}> {
    return this.index.usage()
  }

  check(): Promise<FsckReport> {
    return checkChunks(this)
  }

  keepPresent<T>(work: () => Promise<T>): Promise<T> {
    return this.sweep.shared(() => withAdvisoryLock(this.deps.locks, this.lockName, 'shared', work))
  }

  /** Holds off every keepPresent of the namespace, on every instance. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.sweep.exclusive(() => withAdvisoryLock(this.deps.locks, this.lockName, 'exclusive', work))
  }

  /** One collection of a namespace at a time, across instances. */
  collect(hooks: Omit<CollectHooks, 'exclusive'>, options: CollectOptions): Promise<CollectReport> {
    return withAdvisoryLock(this.deps.locks, `sync-collect:${this.namespace}`, 'exclusive', () =>
      collectChunks(this, this.deps.blobs, {...hooks, exclusive: (work) => this.exclusive(work)}, options),
    )
  }
}
