/**
 * Chunks in the data folder: one chunk store (src/store: LMDB index + pack files) per namespace under
 * `chunks/NS/`, opened on first use and kept open. Separate stores make namespaces unable to learn anything
 * about each other's chunks. A commit's few small new chunks may be staged in the journal's transaction instead
 * of flushed here first (staged-chunks.ts): `settle` moves them here.
 */
import {mkdir, readdir, stat} from 'node:fs/promises'
import path from 'node:path'
import type {RootDatabase} from 'lmdb'
import {hexToKey} from '#src/chunk/hash.js'
import {openEnv} from '#src/db/open-env.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import {NoSpaceError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import {ChunkStore} from '#src/store/chunk-store.js'
import {fsckStore, type FsckReport} from '#src/store/fsck.js'
import {collectGarbage, type CollectHooks, type CollectOptions, type CollectReport} from '#src/store/collect-garbage.js'
import {coalesced} from '#src/util/coalesced.js'
import {logger} from '#src/util/logger.js'
import {SweepLock} from '../sweep-lock.js'
import type {ChunkStorage, NamespaceChunks} from '../types.js'
import type {StagedChunks} from './staged-chunks.js'

const debug = logger('server:chunks')

/**
 * Staged chunks are settled this long after the first commit that staged them: the commits of a burst share one
 * flush, which also keeps its fsyncs off the path of the devices fetching the change.
 */
const SETTLE_AFTER_MS = 50
/** After a failed settlement (a full disk), the next try. */
const SETTLE_RETRY_MS = 1000

export class StoreChunks implements NamespaceChunks {
  private readonly lock = new SweepLock()
  private collecting?: Promise<CollectReport>
  private readonly settleShared = coalesced(() => this.settleNow())
  private settleTimer?: NodeJS.Timeout

  constructor(
    private readonly env: RootDatabase,
    private readonly store: ChunkStore,
    private readonly staged: StagedChunks,
    private readonly name: string,
  ) {}

  /** The chunks added and not yet durable, with their bytes, if at most `maxBytes` together (ChunkStore.unflushed). */
  async unflushed(maxBytes: number): Promise<PackChunk[] | undefined> {
    return this.store.unflushed(maxBytes).catch((error) => this.failed(error))
  }

  /**
   * Makes the namespace's staged chunks durable here and drops their staged copies. Until then they are read from
   * this store's memory; a failed flush (a full disk) drops them from it, and the retry adds them again.
   */
  settle(): Promise<void> {
    clearTimeout(this.settleTimer)
    this.settleTimer = undefined
    return this.settleShared()
  }

  /** Settles soon (once for the commits of a burst); tries again later if it fails. */
  settleSoon(delayMs = SETTLE_AFTER_MS): void {
    this.settleTimer ??= setTimeout(() => {
      this.settle().catch((error) => {
        debug('settling staged chunks of %s: %O', this.name, error)
        this.settleSoon(SETTLE_RETRY_MS)
      })
    }, delayMs).unref()
  }

  /** Under the shared lock: a collection's index switch between the add and the flush would forget what was added. */
  private async settleNow(): Promise<void> {
    const staged = this.staged.of(this.name)
    if (staged.length === 0) return
    await this.keepPresent(async () => {
      await this.add(staged)
      await this.flush()
    })
    await this.staged.drop(
      this.name,
      staged.map(({id}) => id),
    )
  }

  /** Concurrent callers share flushes (ChunkStore.flush is a group commit). */
  async flush(): Promise<void> {
    await this.store.flush().catch((error) => this.failed(error))
  }

  get recoveries(): number {
    return this.store.recoveries + this.store.sweeps
  }

  keepPresent<T>(work: () => Promise<T>): Promise<T> {
    return this.lock.shared(work)
  }

  /**
   * One collection at a time: a second call while one runs waits for it and runs after. Staged chunks are settled
   * first: a version pruned while its chunks are staged would otherwise leave them for the next collection.
   */
  async collect(hooks: Omit<CollectHooks, 'exclusive'>, options: CollectOptions): Promise<CollectReport> {
    while (this.collecting) await this.collecting.catch(() => undefined)
    const run = this.settle().then(() => collectGarbage(this.store, {...hooks, exclusive: (work) => this.lock.exclusive(work)}, options))
    this.collecting = run
    try {
      return await run
    } finally {
      this.collecting = undefined
    }
  }

  /** A failed write (a full disk): the store takes writes again at once, and the caller learns why it failed. */
  private async failed(error: unknown): Promise<never> {
    await this.store.recover()
    throw NoSpaceError.from(error) ?? error
  }

  async missing(ids: Iterable<string>): Promise<string[]> {
    return this.store.missing(ids)
  }

  async length(id: string): Promise<number | undefined> {
    return this.store.chunkLength(id)
  }

  async totalLength(ids: Iterable<string>): Promise<number | undefined> {
    return this.store.totalLength(ids)
  }

  async add(chunks: Iterable<PackChunk>): Promise<number> {
    let added = 0
    try {
      for (const {id, bytes} of chunks) {
        if (this.store.has(id)) continue
        this.store.addKeyed(bytes, hexToKey(id))
        added++
        if (this.store.needsDrain) await this.store.drain()
      }
    } catch (error) {
      return this.failed(error)
    }
    return added
  }

  read(id: string): Promise<Buffer> {
    return this.store.read(id)
  }

  async usage(): Promise<{packs: number; bytes: number}> {
    const names = (await readdir(this.store.packsDir)).filter((name) => name.endsWith('.pack'))
    // A pack deleted meanwhile (garbage collection) takes no space.
    const sizes = await Promise.all(
      names.map((name) =>
        stat(path.join(this.store.packsDir, name)).then(
          (s) => s.size,
          () => 0,
        ),
      ),
    )
    return {packs: names.length, bytes: sizes.reduce((sum, size) => sum + size, 0)}
  }

  /** Checks the store with the staged chunks in it (settled first): they are the namespace's as much as the rest. */
  async check(): Promise<FsckReport> {
    await this.settle()
    return fsckStore(this.store)
  }

  async close(): Promise<void> {
    try {
      await this.settle().catch((error) => debug('settling staged chunks of %s at close: %O', this.name, error))
      await this.store.close()
    } finally {
      await this.env.close()
    }
  }
}

export class LmdbChunks implements ChunkStorage {
  private readonly open = new Map<string, Promise<StoreChunks>>()

  constructor(
    private readonly dir: string,
    private readonly staged: StagedChunks,
  ) {}

  namespace(name: string): Promise<StoreChunks> {
    let chunks = this.open.get(name)
    if (!chunks) {
      chunks = this.openStore(checkNamespace(name))
      this.open.set(name, chunks)
      chunks.catch(() => this.open.delete(name))
    }
    return chunks
  }

  async close(): Promise<void> {
    const stores = [...this.open.values()]
    this.open.clear()
    for (const store of stores) await (await store.catch(() => undefined))?.close()
  }

  private async openStore(name: string): Promise<StoreChunks> {
    const dir = path.join(this.dir, name)
    await mkdir(path.join(dir, 'packs'), {recursive: true})
    const env = openEnv(path.join(dir, 'db'))
    const chunks = new StoreChunks(env, ChunkStore.open(env, path.join(dir, 'packs')), this.staged, name)
    // Chunks staged before a crash: here before anything reads the store.
    await chunks.settle().catch((error) => {
      debug('settling staged chunks of %s: %O', name, error)
      chunks.settleSoon(SETTLE_RETRY_MS)
    })
    return chunks
  }
}
