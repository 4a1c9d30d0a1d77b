/**
 * Chunks over PostgreSQL and a BlobStore: the index (`chunks`: namespace, id -> pack, block, place in the block;
 * `packs`: namespace, pack -> blob, size, time) in PostgreSQL, the bytes in packs written whole as blobs
 * (blob-pack.ts). Added chunks wait in memory until `flush`, which writes them as packs of up to 64 MiB: each blob
 * first, then its index rows in one statement, so a crash between leaves a blob no row names (garbage collection
 * deletes it), never a row without bytes.
 *
 * Garbage collection runs on any instance (pg-collect.ts). Requests that count chunks present and then name them
 * (keepPresent) hold the namespace's advisory lock shared, across instances; the collection's switch holds it
 * exclusively (advisory-lock.ts) and counts its sweep in `chunk_sweeps`, which keepPresent reads: `recoveries`
 * moves on every instance. Where stored chunks are is kept in memory while it does not move (a commit's checks of
 * the chunks just uploaded, and a run of reads, cost no query).
 */
import type pg from 'pg'
import {hexToKey, keyToHex} from '#src/chunk/hash.js'
import {MissingChunksError, NoSpaceError, NotFoundError} from '#src/errors/index.js'
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

/** Rows of chunk places kept (about 300 bytes each). */
const MAX_PLACES = 200_000
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
  private sweeps = 0
  private readonly sweepLock = new SweepLock()
  private readonly cache = new BlockCache(32)
  /** Where stored chunks are, as lately read or flushed here; `placesAt` is the `recoveries` they hold for. */
  private readonly places = new Map<string, ChunkRow>()
  private placesAt = 0
  private readonly flushShared = coalesced(() => this.flushNow())
  readonly index: PackIndex

  constructor(
    private readonly deps: ChunkDeps,
    readonly namespace: string,
  ) {
    this.index = new PackIndex(deps.pool, namespace)
  }

  /** Failed flushes here, and collections that dropped chunks on any instance (`chunk_sweeps`, read by keepPresent). */
  get recoveries(): number {
    return this.recovered + this.sweeps
  }

  /** The namespace's count of collections that dropped chunks, as read from the database. */
  sawSweeps(sweeps: number): void {
    this.sweeps = Math.max(this.sweeps, sweeps)
  }

  /** The places kept: only while no recovery or collection happened since they were read. */
  private placesNow(): Map<string, ChunkRow> {
    if (this.placesAt !== this.recoveries) {
      this.places.clear()
      this.placesAt = this.recoveries
    }
    return this.places
  }

  private keep(rows: ChunkRow[]): void {
    const places = this.placesNow()
    if (places.size + rows.length > MAX_PLACES) places.clear()
    for (const row of rows) places.set(row.id, row)
  }

  /** The rows of those of `ids` that are stored: those kept, and the rest looked up (and kept). */
  private async stored(ids: string[]): Promise<Map<string, ChunkRow>> {
    const places = this.placesNow()
    const found = new Map<string, ChunkRow>()
    const unknown: string[] = []
    for (const id of ids) {
      const row = places.get(id)
      if (row) found.set(id, row)
      else unknown.push(id)
    }
    for (let at = 0; at < unknown.length; at += BATCH) {
      const rows = await this.index.rows(unknown.slice(at, at + BATCH))
      this.keep(rows)
      for (const row of rows) found.set(row.id, row)
    }
    return found
  }

  private get lockName(): string {
    return `sync-chunks:${this.namespace}`
  }

  async missing(ids: Iterable<string>): Promise<string[]> {
    const wanted = [...new Set(ids)].filter((id) => !this.pending.has(id))
    const found = await this.stored(wanted)
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
    for (const [id, row] of await this.stored(stored)) lengths.set(id, row.length)
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
        const pack = await this.index.addPack(bytes.length, placed, (blob) => this.deps.blobs.put(blob, bytes))
        // A commit naming them next finds them here (one stored by another instance meanwhile is read from this pack).
        this.keep(
          placed.map(({key, location}) => ({
            id: keyToHex(key),
            pack: pack.pack,
            blob: pack.blob,
            block_offset: location.blockOffset,
            block_length: location.blockLength,
            chunk_offset: location.offset,
            length: location.length,
          })),
        )
      }
    } catch (error) {
      // The chunks of a failed flush are dropped: the uploader sends them again.
      this.recovered++
      throw NoSpaceError.from(error) ?? error
    }
  }

  /**
   * A chunk's bytes. Chunks are read in runs (a file, a fetch): the rows of the chunk's whole block come with its
   * own and are kept, so the rest of the run costs no query. A kept row may be stale after a collection moved its
   * chunk (pack blobs are never rewritten, only deleted): a blob that is gone is looked up again.
   */
  async read(id: string): Promise<Buffer> {
    const waiting = this.pending.get(id)
    if (waiting) return Buffer.from(waiting)
    const kept = this.placesNow().get(id)
    if (kept) {
      try {
        return await this.readAt(kept)
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error
      }
    }
    const rows = await this.index.blockOf(id)
    const row = rows.find((r) => r.id === id)
    if (!row) throw new MissingChunksError([id])
    this.keep(rows)
    return this.readAt(row)
  }

  private async readAt(row: ChunkRow): Promise<Buffer> {
    return chunkOf(await this.block(row), hexToKey(row.id), {offset: row.chunk_offset, length: row.length}, row.blob)
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

  /** Under the lock no collection can sweep: the count of sweeps read then holds until `work` is done. */
  keepPresent<T>(work: () => Promise<T>): Promise<T> {
    return this.sweepLock.shared(() =>
      withAdvisoryLock(this.deps.locks, this.lockName, 'shared', async (client) => {
        this.sawSweeps(await this.index.sweeps(client))
        return work()
      }),
    )
  }

  /** Holds off every keepPresent of the namespace, on every instance. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.sweepLock.exclusive(() => withAdvisoryLock(this.deps.locks, this.lockName, 'exclusive', work))
  }

  /** One collection of a namespace at a time, across instances. */
  collect(hooks: Omit<CollectHooks, 'exclusive'>, options: CollectOptions): Promise<CollectReport> {
    return withAdvisoryLock(this.deps.locks, `sync-collect:${this.namespace}`, 'exclusive', () =>
      collectChunks(this, this.deps.blobs, {...hooks, exclusive: (work) => this.exclusive(work)}, options),
    )
  }
}
