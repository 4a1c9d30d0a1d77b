/**
 * Chunks in the data folder: one chunk store (src/store: LMDB index + pack files) per namespace under
 * `chunks/NS/`, opened on first use and kept open. Separate stores make namespaces unable to learn anything
 * about each other's chunks.
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
import {SweepLock} from '../sweep-lock.js'
import type {ChunkStorage, NamespaceChunks} from '../types.js'

class StoreChunks implements NamespaceChunks {
  private readonly lock = new SweepLock()
  private collecting?: Promise<CollectReport>

  constructor(
    private readonly env: RootDatabase,
    private readonly store: ChunkStore,
  ) {}

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

  /** One collection at a time: a second call while one runs waits for it and runs after. */
  async collect(hooks: Omit<CollectHooks, 'exclusive'>, options: CollectOptions): Promise<CollectReport> {
    while (this.collecting) await this.collecting.catch(() => undefined)
    const run = collectGarbage(this.store, {...hooks, exclusive: (work) => this.lock.exclusive(work)}, options)
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
    let total = 0
    for (const id of ids) {
      const length = this.store.chunkLength(id)
      if (length === undefined) return undefined
      total += length
    }
    return total
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

  check(): Promise<FsckReport> {
    return fsckStore(this.store)
  }

  async close(): Promise<void> {
    try {
      await this.store.close()
    } finally {
      await this.env.close()
    }
  }
}

export class LmdbChunks implements ChunkStorage {
  private readonly open = new Map<string, Promise<StoreChunks>>()

  constructor(private readonly dir: string) {}

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
    return new StoreChunks(env, ChunkStore.open(env, path.join(dir, 'packs')))
  }
}
