/**
 * The content-addressed chunk store: chunk bytes in compressed blocks inside pack files, their places in an
 * index persisted in LMDB. One store serves a client folder (`.sync/`) and, the same code, the server.
 *
 * Writing: `add` dedups against the index and copies the chunk into the open block; a full block is compressed
 * on the thread pool and appended to the pack file in order. `flush` makes everything added durable, in
 * restic's order: pack bytes first (fsync), then the index (one LMDB transaction, flushed). A chunk counts as
 * present to other processes only after that, so a crash never leaves an index entry over missing bytes.
 *
 * Reading: every chunk returned is hashed and compared with its id; a flipped bit is CorruptDataError, never
 * wrong bytes.
 */
import {open, stat, utimes, type FileHandle} from 'node:fs/promises'
import path from 'node:path'
import type {RootDatabase} from 'lmdb'
import {hexToKey, keyToHex, sha256Hex, sha256Key} from '../chunk/hash.js'
import {IdList} from '../chunk/id-list.js'
import type {Piece} from '../chunk/piece-hasher.js'
import type {PackChunk} from '../protocol/wire-pack/pack-chunk.js'
import {CorruptDataError, MissingChunksError, NoSpaceError, StoreBrokenError, TooLargeError} from '../errors/index.js'
import {BlockBuilder} from './block-builder.js'
import {compressBlock, compressBlockSync, decompressBlockSync} from './block-compression.js'
import {INDEX_PAGE_ENTRIES, type ChunkIndex} from './chunk-index.js'
import type {ChunkLocation} from './index-entry.js'
import {IndexSegments, type SegmentsView} from './index-segments.js'
import {blockIsFull, MAX_BLOCK_PLAIN_BYTES, MAX_CHUNK_BYTES, PACK_ROTATE_BYTES} from './limits.js'
import type {PackFileWriter} from './pack-file-writer.js'
import {BlockCache} from './block-cache.js'
import {coalesced} from '../util/coalesced.js'
import {logger} from '../util/logger.js'

const debug = logger('store')

/** Blocks that may be compressing or waiting to be written before `add` callers are asked to wait. */
const MAX_BLOCKS_IN_FLIGHT = 8
/** 32-bit words per id. */
const ID_WORDS = 8
/**
 * A block smaller than this goes into the read cache as it is written: it holds a few lines just committed, which
 * the next read wants (the server inlines a commit's new lines in the long-poll answer that wakes other
 * devices), and reading it back would cost a trip to the thread pool and an inflation on that path.
 */
const CACHE_WRITTEN_BELOW = 4096
/** A stored block's key in the read cache. */
const blockKey = (pack: number, offset: number) => `${pack}:${offset}`
/** The pack number of blocks held in memory (keepInMemory); its block offsets number the blocks. Never claimed. */
const MEMORY_PACK = 0xffffffff

/** compressBlockSync, its failure as a rejection (as the thread pool's would be). */
function compressedHere(plain: Buffer): Promise<Buffer[]> {
  try {
    return Promise.resolve(compressBlockSync(plain))
  } catch (error) {
    return Promise.reject(error)
  }
}

export function packFileName(pack: number): string {
  return `${pack.toString(16).padStart(8, '0')}.pack`
}

export class ChunkStore {
  /** Loaded on first use (see `index`). */
  private loaded?: ChunkIndex
  private generation = 0
  /** What `loaded` has read of the persisted index (refresh reads only what came after). */
  private view?: SegmentsView
  /** Entries below this number are in LMDB; the rest are this process's, not yet durable. */
  private persisted = 0
  /** Entries from this number on are in the open block. */
  private blockStart = 0
  /** The location of a chunk on its way, reused for each new chunk. */
  private readonly pending: ChunkLocation = {pack: 0, blockOffset: 0, blockLength: 0, offset: 0, length: 0}
  private readonly builder = new BlockBuilder()
  private pack?: {number: number; writer: PackFileWriter}
  /** Blocks are queued in the pack in the order they were sealed. */
  private queued: Promise<void> = Promise.resolve()
  /** Settles once every sealed block is placed (or the store is broken). */
  private writes: Promise<void> = Promise.resolve()
  private readonly inFlight: Promise<void>[] = []
  /** Group commit: a call while a flush runs shares the one queued after it (coalesced.ts). */
  private readonly flushShared = coalesced(() => this.flushNow())
  private failure: unknown
  private recovered = 0
  private switched = 0
  private readonly readers = new Map<number, Promise<FileHandle>>()
  private readonly cache = new BlockCache(32)
  /** Blocks being read and inflated now, by pack and offset. */
  private readonly reading = new Map<string, Promise<Buffer>>()
  private inflated = 0
  /** Blocks kept in memory instead of packs, while the disk is full (keepInMemory). */
  private memory?: {blocks: Buffer[]; bytes: number; budget: number}
  private compressHere = false

  private constructor(
    private readonly segments: IndexSegments,
    readonly packsDir: string,
  ) {}

  /** Opens the store whose index lives in `env` and whose packs live in `packsDir` (which must exist). */
  static open(env: RootDatabase, packsDir: string): ChunkStore {
    return new ChunkStore(new IndexSegments(env), packsDir)
  }

  /**
   * Picks up chunks other processes added since this view was loaded (cheap when nothing changed): the segments
   * persisted since are added to the index in place. Building a new index while holding the old one held it twice
   * (43-51 MB each for a 1 GB text file's chunks); only after garbage collection rewrote the index is it loaded anew.
   */
  refresh(): void {
    // Not loaded yet: the first use loads the latest.
    if (!this.loaded || !this.view || this.persisted < this.loaded.size) return
    if (this.segments.generation() === this.generation) return
    const view = this.segments.loadNewer(this.loaded, this.view)
    if (!view) {
      this.load()
      return
    }
    this.view = view
    this.generation = view.generation
    this.persisted = this.blockStart = this.loaded.size
  }

  /** Whether `id` (lowercase hex) is stored, or added by this process and on its way. */
  has(id: string): boolean {
    return this.index.find(hexToKey(id)) !== -1
  }

  /**
   * The ids among `ids` that are not stored, in order, without repeats. Only the absent ones are remembered: a
   * set of every id asked about cost ~100 MB for the 670,000 of a 1 GB text file (a commit's check on the server).
   */
  missing(ids: Iterable<string>): string[] {
    this.refresh()
    const absent = new Set<string>()
    // An IdList (a commit's manifest on the server) is looked up by its words: no hex string, no key per id.
    if (ids instanceof IdList) {
      const words = ids.words
      for (let i = 0; i < ids.length; i++) if (this.index.findId(words, i * ID_WORDS) === -1) absent.add(ids.hexAt(i))
    } else for (const id of ids) if (!absent.has(id) && this.index.find(hexToKey(id)) === -1) absent.add(id)
    return [...absent]
  }

  /** A stored chunk's length in bytes, from the index (nothing is read), or undefined when absent. */
  chunkLength(id: string): number | undefined {
    return this.lengthOf(this.index.find(hexToKey(id)))
  }

  /** The lengths of the chunks of `ids` added up (repeats counted), or undefined when one is absent. */
  totalLength(ids: Iterable<string>): number | undefined {
    let total = 0
    if (ids instanceof IdList) {
      const words = ids.words
      for (let i = 0; i < ids.length; i++) {
        const length = this.lengthOf(this.index.findId(words, i * ID_WORDS))
        if (length === undefined) return undefined
        total += length
      }
      return total
    }
    for (const id of ids) {
      const length = this.chunkLength(id)
      if (length === undefined) return undefined
      total += length
    }
    return total
  }

  private lengthOf(entry: number): number | undefined {
    return entry === -1 ? undefined : this.index.location(entry).length
  }

  /** Number of distinct chunks this view knows. */
  get chunkCount(): number {
    return this.index.size
  }

  /** Stores `chunk` unless it is there already; returns its id (hex). The bytes are copied. Durable after `flush`. */
  add(chunk: Uint8Array): string {
    this.addKeyed(chunk, sha256Key(chunk))
    return sha256Hex(chunk)
  }

  /**
   * `add` when the caller already hashed the chunk (`key` is its id as hash.ts's key).
   * Callers adding many chunks should `await drain()` when `needsDrain`, to bound memory.
   */
  addKeyed(chunk: Uint8Array, key: string): void {
    const index = this.index
    if (index.find(key) !== -1) return
    index.add(key, this.place(chunk, 0, chunk.length))
    this.sealIfFull()
  }

  /**
   * The hot path of hashify: stores the chunks of a piece (piece-hasher.ts), which lie one after another in its
   * bytes and which the caller already hashed into its ids. The ids stay bytes from the hash to the index (no
   * key strings); only new chunks are copied. Callers should `await drain()` when `needsDrain`.
   */
  addPiece({ids, bytes, lengths, count}: Piece): void {
    if (ids.length !== count) throw new RangeError(`a piece of ${count} chunks has ${ids.length} ids`)
    const index = this.index
    const words = ids.words
    let offset = 0
    for (let i = 0; i < count; i++) {
      const length = lengths[i]
      if (index.findId(words, i * ID_WORDS) === -1) {
        index.addId(words, i * ID_WORDS, this.place(bytes, offset, length))
        this.sealIfFull()
      }
      offset += length
    }
  }

  /** Makes room for about `chunks` more chunks in the index's table at once. */
  reserve(chunks: number): void {
    this.index.reserve(chunks)
  }

  get needsDrain(): boolean {
    return this.inFlight.length > MAX_BLOCKS_IN_FLIGHT
  }

  /** Waits until few enough blocks are on their way to disk. */
  async drain(): Promise<void> {
    while (this.inFlight.length > MAX_BLOCKS_IN_FLIGHT / 2) await this.inFlight[0]
    this.throwIfBroken()
  }

  /**
   * From now on, blocks are compressed on this thread as they are sealed, not on libuv's thread pool: for a
   * caller whose thread stores bulk input that another thread hashes (`sync hashify` of a big file). On two
   * cores the pool's threads only take CPU from the hashing thread, and each hand-off costs a stream's set-up and
   * two thread switches: 100 MB of text took 1.39 s of CPU and 1.01 s to hashify through the pool, 1.25 s and
   * 0.92 s compressed here (docs/benchmarks.md). Not for a server or a daemon: a 256 KiB block holds this thread
   * for about a millisecond.
   */
  compressOnThisThread(): void {
    this.compressHere = true
  }

  /** Whether a write failed: the store takes no chunks until `recover`. */
  get failed(): boolean {
    return this.failure !== undefined
  }

  /**
   * How many times `recover` has run. A caller that counted chunks present before it must not count on them:
   * compare before and after a flush.
   */
  get recoveries(): number {
    return this.recovered
  }

  /**
   * How many times garbage collection replaced the index (`switchIndex`): chunks counted present before may be
   * gone since, as after a recovery.
   */
  get sweeps(): number {
    return this.switched
  }

  /** The number of the pack this process is appending to, if any: garbage collection leaves it alone. */
  get writingPack(): number | undefined {
    return this.pack?.number
  }

  /**
   * Makes everything added durable and closes the pack being written (the next write starts a new one), so that
   * garbage collection may sweep it. The file keeps the time its last block was written: the end-of-archive
   * marker is no chunk, and collection leaves packs of recent chunks alone by that time.
   */
  async closePack(): Promise<void> {
    await this.flush()
    const pack = this.pack
    if (!pack) return
    this.pack = undefined
    const {atime, mtime} = await stat(pack.writer.file)
    await pack.writer.close()
    await utimes(pack.writer.file, atime, mtime)
  }

  /** The persisted index as one snapshot, apart from this view (garbage collection marks its entries). */
  snapshot(): ChunkIndex {
    return this.segments.load().index
  }

  /**
   * The persisted index for a look that only reads it (a dry run of garbage collection): this store's own view
   * when every entry in it is persisted, instead of a second copy (43 MB at 670,000 chunks: a daemon's memory
   * peak at 1 GB of text, where it looks after passes); else a snapshot. Entries added to the view later lie past
   * the size it had (Marks.entries); chunks another process added since the view last loaded are left out.
   */
  readOnlySnapshot(): ChunkIndex {
    const view = this.index
    return !this.memory && this.persisted === view.size ? view : this.snapshot()
  }

  /** Claims a pack number for packs written beside the store (garbage collection's repacked ones). */
  claimPackNumber(): Promise<number> {
    return this.segments.claimPackNumber()
  }

  /**
   * Replaces the persisted index (garbage collection, collect-garbage.ts): makes everything added durable, lets
   * `transform` turn the current entries into the ones to keep, in one LMDB transaction, and reloads this view.
   * The caller must keep other writers of this store out meanwhile.
   */
  async switchIndex(transform: (current: ChunkIndex) => Buffer): Promise<void> {
    await this.flush()
    await this.segments.rewrite(transform)
    this.load()
    this.switched++
  }

  /** Closes the reader of a pack that was deleted (its bytes stay readable to reads that already hold it). */
  async forgetPack(pack: number): Promise<void> {
    const handle = this.readers.get(pack)
    this.readers.delete(pack)
    await (await handle?.catch(() => undefined))?.close()
  }

  /**
   * After a failed write (the disk full, say), makes the store take chunks again without a restart: the chunks
   * not yet durable are forgotten (nothing acknowledged them), the pack being written is left as it is (its
   * durable blocks stay valid and indexed; the bytes after them are never referenced) and new blocks go to a new
   * pack. Durable chunks are untouched. Nothing to do when no write failed.
   */
  async recover(): Promise<void> {
    if (this.failure === undefined) return
    await this.writes
    const pack = this.pack
    this.pack = undefined
    await pack?.writer.close().catch((error) => debug('closing a failed pack: %O', error))
    this.builder.discard()
    this.queued = Promise.resolve()
    this.load()
    this.failure = undefined
    this.recovered++
    debug('recovered after a failed write; %d chunks durable', this.index.size)
  }

  /**
   * From now on new chunks stay in memory, `budgetBytes` at most, and nothing is made durable: so that local
   * changes can be sent while the disk is full (sending needs no space here). A flush keeps them readable by this
   * process only; `dropMemory` forgets them. Past the budget the store fails with NoSpaceError.
   */
  keepInMemory(budgetBytes: number): void {
    this.memory = {blocks: [], bytes: 0, budget: budgetBytes}
  }

  /** Back to packs: the chunks kept in memory are forgotten, as if never added. */
  dropMemory(): void {
    if (!this.memory) return
    this.memory = undefined
    this.builder.discard()
    this.failure = undefined
    this.load()
  }

  /** Makes every chunk added so far durable and visible to other processes. */
  flush(): Promise<void> {
    return this.flushShared()
  }

  /**
   * The chunks added and not yet durable, with their bytes, when together they are at most `maxBytes` (else
   * undefined): what a commit that names them could make durable in its own transaction instead of a flush
   * (the server's journal, server/storage/lmdb/staged-chunks.ts). Chunks being flushed meanwhile may be among them.
   */
  async unflushed(maxBytes: number): Promise<PackChunk[] | undefined> {
    const index = this.index
    const [from, to] = [this.persisted, index.size]
    let total = 0
    for (let entry = from; entry < to; entry++) {
      total += index.location(entry).length
      if (total > maxBytes) return undefined
    }
    const ids = Array.from({length: to - from}, (_, i) => index.idOf(from + i))
    return Promise.all(ids.map(async (id) => ({id, bytes: await this.read(id)})))
  }

  /** The chunk's bytes, checked against its id. The buffer is shared: do not modify it. */
  read(id: string): Promise<Buffer> {
    return this.readKey(hexToKey(id))
  }

  /** Whether the chunk whose key (hash.ts) is `key` is stored, or added by this process and on its way. */
  hasKey(key: string): boolean {
    return this.index.find(key) !== -1
  }

  /** `read` for callers that hold keys (an IdList): no hex on the way in, the check compares keys. */
  async readKey(key: string): Promise<Buffer> {
    const entry = this.index.find(key)
    if (entry === -1) throw new MissingChunksError([keyToHex(key)])
    let location = this.index.location(entry)
    if (location.blockLength === 0 && entry >= this.blockStart) return this.fromOpenBlock(location, key)
    if (location.blockLength === 0) {
      await this.writes
      this.throwIfBroken()
      location = this.index.location(entry)
    }
    return this.chunkIn(await this.readBlock(location), location, key)
  }

  /**
   * readKey's answer when it needs no read (the chunk's block is inflated in memory, or still open), else
   * undefined: a writer of many small files takes most chunks this way, without a promise and a turn of the
   * event loop for each (30 per recipe).
   */
  readKeyAtHand(key: string): Buffer | undefined {
    const entry = this.index.find(key)
    if (entry === -1) return undefined
    const location = this.index.location(entry)
    if (location.blockLength === 0) return entry >= this.blockStart ? this.fromOpenBlock(location, key) : undefined
    const plain = location.pack === MEMORY_PACK ? this.memoryBlock(location.blockOffset) : this.cache.get(blockKey(location.pack, location.blockOffset))
    return plain && this.chunkIn(plain, location, key)
  }

  /** A chunk of the open block (just hashed, about to be sent): copied from there, nothing sealed or read back. */
  private fromOpenBlock(location: ChunkLocation, key: string): Buffer {
    const chunk = this.builder.copyOf(location.offset, location.length)
    if (sha256Key(chunk) !== key) throw new CorruptDataError(`chunk ${keyToHex(key)} changed in memory`, {id: keyToHex(key)})
    return chunk
  }

  /** The chunk at `location` in its inflated block, checked against its key. */
  private chunkIn(plain: Buffer, location: ChunkLocation, key: string): Buffer {
    if (location.offset + location.length > plain.length) {
      const id = keyToHex(key)
      throw new CorruptDataError(`chunk ${id} lies outside its block in pack ${location.pack}`, {id, pack: location.pack})
    }
    const chunk = plain.subarray(location.offset, location.offset + location.length)
    if (sha256Key(chunk) !== key) {
      const id = keyToHex(key)
      throw new CorruptDataError(`chunk ${id} in pack ${packFileName(location.pack)} does not match its id`, {id, pack: location.pack})
    }
    return chunk
  }

  /** Every persisted entry with its id, for checks and maintenance (a fresh snapshot from LMDB). */
  *persistedEntries(): IterableIterator<{id: string; location: ChunkLocation}> {
    const {index} = this.segments.load()
    for (let entry = 0; entry < index.size; entry++) yield {id: index.idOf(entry), location: index.location(entry)}
  }

  /** Reads and inflates one stored block (shared with fsck, which checks blocks as a whole). */
  async readBlock(location: ChunkLocation, options: {cache?: boolean} = {}): Promise<Buffer> {
    if (location.pack === MEMORY_PACK) return this.memoryBlock(location.blockOffset)
    const key = blockKey(location.pack, location.blockOffset)
    const cached = options.cache === false ? undefined : this.cache.get(key)
    if (cached) return cached
    if (options.cache === false) return this.inflateBlock(location)
    // Reads of one block at once (a tree's nodes, read together) share one inflation: each inflating it again
    // cost a 20 MB file's download 4,000 inflations of 250 KB and over 1 GB of memory.
    const reading = this.reading.get(key)
    if (reading) return reading
    const read = this.inflateBlock(location).then(
      (plain) => {
        this.reading.delete(key)
        this.cache.set(key, plain)
        return plain
      },
      (error) => {
        this.reading.delete(key)
        throw error
      },
    )
    this.reading.set(key, read)
    return read
  }

  /** Blocks read from packs and inflated so far (each at most once while in the cache). */
  get blocksInflated(): number {
    return this.inflated
  }

  private async inflateBlock(location: ChunkLocation): Promise<Buffer> {
    this.inflated++
    const handle = await this.readerFor(location.pack)
    const compressed = Buffer.allocUnsafe(location.blockLength)
    const {bytesRead} = await handle.read(compressed, 0, location.blockLength, location.blockOffset)
    if (bytesRead !== location.blockLength) {
      throw new CorruptDataError(`pack ${packFileName(location.pack)} is truncated: block at ${location.blockOffset} is cut short`, {pack: location.pack})
    }
    return decompressBlockSync(compressed, MAX_BLOCK_PLAIN_BYTES)
  }

  /** Flushes, then closes the pack being written and the files being read. The LMDB env is the caller's. */
  async close(): Promise<void> {
    try {
      if (this.failure === undefined) await this.flush()
    } finally {
      if (this.pack) await this.pack.writer.close().catch((error) => debug('closing pack: %O', error))
      this.pack = undefined
      for (const handle of this.readers.values()) await (await handle.catch(() => undefined))?.close()
      this.readers.clear()
    }
  }

  private async flushNow(): Promise<void> {
    this.sealBlock()
    const upto = this.blockStart
    await this.writes
    this.throwIfBroken()
    if (upto === this.persisted || this.memory) return
    await this.pack?.writer.sync()
    // A segment per page of the index at most (65,536 entries, 3.4 MB), each its own transaction: one segment of a
    // 1 GB text file's 670,000 entries was a 35 MB copy, and as many bytes of LMDB's dirty pages, at once.
    let generation = this.generation
    while (this.persisted < upto) {
      const to = Math.min(upto, (Math.floor(this.persisted / INDEX_PAGE_ENTRIES) + 1) * INDEX_PAGE_ENTRIES)
      const before = this.generation
      generation = await this.segments.append(this.index.view(this.persisted, to))
      this.persisted = to
      // If another process changed the index meanwhile, keep our generation stale so `refresh` reloads.
      if (generation === before + 1) this.generation = generation
    }
    debug('flushed %d entries (generation %d)', upto, generation)
    const ours = this.generation === generation
    if (await this.segments.compact()) {
      if (ours) this.generation = this.segments.generation()
    }
  }

  /** The index, loaded from LMDB on first use: a process that never touches chunks never pays for it. */
  private get index(): ChunkIndex {
    return this.loaded ?? this.load()
  }

  private load(): ChunkIndex {
    // The old index may be collected while the new one is built.
    this.loaded = undefined
    const {view, index} = this.segments.load()
    this.loaded = index
    this.view = view
    this.generation = view.generation
    this.persisted = this.blockStart = index.size
    return index
  }

  /** Copies a new chunk, `source[start, start + length)`, into the open block; returns its location until the block is written. */
  private place(source: Uint8Array, start: number, length: number): ChunkLocation {
    this.throwIfBroken()
    if (length > MAX_CHUNK_BYTES) throw new TooLargeError('a chunk', MAX_CHUNK_BYTES)
    this.pending.offset = this.builder.add(source, start, length)
    this.pending.length = length
    return this.pending
  }

  private sealIfFull(): void {
    if (blockIsFull(this.builder.byteLength, this.builder.count)) this.sealBlock()
  }

  /**
   * Closes the open block: compress it now (thread pool, or here: compressOnThisThread), queue it in the pack
   * after the blocks before it, and record where it is once its bytes are in the file.
   */
  private sealBlock(): void {
    if (this.builder.count === 0) return
    const first = this.blockStart
    const last = this.index.size
    this.blockStart = last
    const {plain, header} = this.builder.build()
    if (this.memory) return this.keepBlock(first, last, plain, header)
    const compressed = this.compressHere ? compressedHere(plain) : compressBlock(plain)
    // A copy: `plain` goes back to the builder once written.
    const cached = plain.length < CACHE_WRITTEN_BELOW ? Buffer.from(plain) : undefined
    const queued = this.queued.then(async () => {
      const parts = await compressed
      const pack = await this.packWithRoom(parts.reduce((sum, part) => sum + part.length, 0))
      const entry = pack.writer.append(parts)
      // A stored block is written from `plain` itself: it is reused only after that.
      void entry.written.then(
        () => this.builder.recycle(plain),
        () => undefined,
      )
      return {pack: pack.number, ...entry}
    })
    this.queued = queued.then(
      () => undefined,
      () => undefined,
    )
    // The index learns where the block is only once its bytes are in the file.
    const placed = queued
      .then(async ({pack, offset, length, written}) => {
        await written
        this.index.placeBlock(first, last, pack, offset, length, header)
        if (cached) this.cache.set(blockKey(pack, offset), cached)
      })
      .catch((error) => {
        this.failure ??= error
      })
    // Writes complete in the order they were queued, so the last one placed means all are.
    this.writes = placed
    this.inFlight.push(placed)
    void placed.then(() => this.inFlight.splice(this.inFlight.indexOf(placed), 1))
  }

  private keepBlock(first: number, last: number, plain: Buffer, header: number): void {
    const memory = this.memory!
    if (memory.bytes + plain.length > memory.budget) {
      this.failure ??= new NoSpaceError(`no space left on this device, and more changes than fit in memory (${memory.budget >> 20} MiB) to send without it`)
      return
    }
    memory.bytes += plain.length
    memory.blocks.push(Buffer.from(plain))
    this.builder.recycle(plain)
    this.index.placeBlock(first, last, MEMORY_PACK, memory.blocks.length - 1, plain.length, header)
  }

  private memoryBlock(number: number): Buffer {
    const block = this.memory?.blocks[number]
    if (!block) throw new CorruptDataError(`block ${number} kept in memory is gone`, {pack: MEMORY_PACK})
    return block
  }

  private async packWithRoom(bytes: number): Promise<{number: number; writer: PackFileWriter}> {
    if (this.pack && this.pack.writer.size + bytes + 1024 > PACK_ROTATE_BYTES) {
      await this.pack.writer.close()
      this.pack = undefined
    }
    if (!this.pack) {
      const number = await this.segments.claimPackNumber()
      // Loaded on first write: readers (check-chunk, read-chunk) never pay for the tar writer.
      const {PackFileWriter} = await import('./pack-file-writer.js')
      const writer = await PackFileWriter.create(path.join(this.packsDir, packFileName(number)))
      this.pack = {number, writer}
      debug('writing pack %s', writer.file)
    }
    return this.pack
  }

  private readerFor(pack: number): Promise<FileHandle> {
    let handle = this.readers.get(pack)
    if (!handle) {
      handle = open(path.join(this.packsDir, packFileName(pack)), 'r').catch((error) => {
        this.readers.delete(pack)
        throw new CorruptDataError(`pack ${packFileName(pack)} cannot be opened: ${(error as Error).message}`, {pack}, {cause: error})
      })
      this.readers.set(pack, handle)
    }
    return handle
  }

  private throwIfBroken(): void {
    if (this.failure !== undefined) {
      if (this.failure instanceof NoSpaceError) throw this.failure
      const full = NoSpaceError.from(this.failure)
      if (full) throw new NoSpaceError(`no space left for the chunk store in ${this.packsDir}: free some and try again`, {cause: this.failure})
      throw new StoreBrokenError(`the store cannot take more chunks after a failed write: ${(this.failure as Error).message}`, {}, {cause: this.failure})
    }
  }
}
