/**
 * The persisted chunk index: LMDB values ("segments") of concatenated index entries, one per flush. Measured
 * here, one LMDB record per chunk costs ~1.6 us of CPU and ~140 bytes on disk per chunk (237 MB of index for
 * 100 MB of text lines); a segment costs one put per flush and 52 bytes per chunk. Entries are never removed,
 * only merged, so a reader holding an older view is never wrong about what it has, only late to learn of more.
 *
 * LMDB layout: db `chunk-segments`, uint32 key -> entries; db `store-meta`: `generation` (bumped by every
 * change, so other processes know to reload), `nextSegment`, `nextPack`, `format` (format-version.ts), `rewrites`
 * (bumped when garbage collection replaces the index; absent: 0).
 *
 * Segment keys only grow (`nextSegment`), and every entry a merge writes was in a segment it removed, so a view
 * that has read the segments below some key knows every entry of the segments there now: it catches up by
 * reading the segments from that key on (`loadNewer`). Only a rewrite removes entries: then it loads anew.
 */
import type {Database, RootDatabase, Transaction} from 'lmdb'
import {durableTransaction} from '../db/durable.js'
import {envPath} from '../db/open-env.js'
import {checkFormat, FORMATS} from '../db/format-version.js'
import {CorruptDataError} from '../errors/index.js'
import {ChunkIndex} from './chunk-index.js'
import {ENTRY_BYTES} from './index-entry.js'

/** More segments than this and the smallest are merged... */
const MAX_SEGMENTS = 16
const MERGE_AT_ONCE = 8
/**
 * ...unless they hold more entries than this together (13 MB): merging is for the many small segments of small
 * flushes. Large segments (a large file's, flushed in batches) stay as they are: merging them held them all in
 * memory at once, and loading a few dozen segments costs no more than loading one.
 */
const MERGE_MAX_ENTRIES = 256 * 1024

/** What a view of the index has read: as of which generation, the segments below which key, after how many rewrites. */
export interface SegmentsView {
  generation: number
  nextSegment: number
  rewrites: number
}

export class IndexSegments {
  private readonly segments: Database<Buffer, number>
  private readonly meta: Database<number, string>
  /**
   * Entries per segment, as far as this process has seen them (load, append, compact). Compaction picks by
   * size, and reading every segment for its size read the whole index from disk at each flush.
   */
  private readonly sizes = new Map<number, number>()

  constructor(private readonly env: RootDatabase) {
    this.segments = env.openDB<Buffer, number>({name: 'chunk-segments', keyEncoding: 'uint32', encoding: 'binary'})
    this.meta = env.openDB<number, string>({name: 'store-meta'})
  }

  generation(): number {
    return this.meta.get('generation') ?? 0
  }

  /**
   * Adds to `index` the entries of segments persisted since `view` was read (from `view.nextSegment` on), in one
   * consistent snapshot; the new view, or undefined when the index was rewritten since (load it anew).
   */
  loadNewer(index: ChunkIndex, view: SegmentsView): SegmentsView | undefined {
    return this.read((txn) => {
      const now = this.viewAt(txn)
      if (now.rewrites !== view.rewrites) return undefined
      for (const {key, value} of this.segments.getRange({start: view.nextSegment, transaction: txn})) this.addSegment(index, key, value)
      return now
    })
  }

  /**
   * Every persisted entry, and the generation it was read at, from one consistent snapshot. Segment by segment:
   * holding them all before indexing them held the index twice.
   */
  load(): {view: SegmentsView; index: ChunkIndex} {
    return this.read((txn) => {
      const view = this.viewAt(txn)
      const index = new ChunkIndex()
      this.sizes.clear()
      for (const {key, value} of this.segments.getRange({transaction: txn})) this.addSegment(index, key, value)
      return {view, index}
    })
  }

  private read<T>(work: (txn: Transaction) => T): T {
    const txn = this.env.useReadTransaction()
    try {
      checkFormat(`the chunk store in ${envPath(this.env)}`, this.meta.get('format', {transaction: txn}), FORMATS.store)
      return work(txn)
    } finally {
      txn.done()
    }
  }

  private viewAt(txn: Transaction): SegmentsView {
    return {
      generation: this.meta.get('generation', {transaction: txn}) ?? 0,
      nextSegment: this.meta.get('nextSegment', {transaction: txn}) ?? 1,
      rewrites: this.meta.get('rewrites', {transaction: txn}) ?? 0,
    }
  }

  private addSegment(index: ChunkIndex, key: number, value: Buffer): void {
    if (value.length % ENTRY_BYTES !== 0) throw new CorruptDataError(`chunk index segment ${key} is ${value.length} bytes, not a whole number of entries`)
    this.sizes.set(key, value.length / ENTRY_BYTES)
    index.addEntries(value)
  }

  /** Durably adds a segment; the caller's pack bytes must already be durable. */
  async append(entries: Buffer): Promise<number> {
    return durableTransaction(
      this.env,
      () => {
        const key = this.meta.get('nextSegment') ?? 1
        this.meta.putSync('nextSegment', key + 1)
        this.segments.putSync(key, entries)
        this.sizes.set(key, entries.length / ENTRY_BYTES)
        return this.bump()
      },
      entries.length,
    )
  }

  /**
   * Replaces the whole index in one durable transaction (garbage collection, collect-garbage.ts): `transform`
   * gets every persisted entry as of that transaction and returns the entries to keep, in the persisted format.
   * The caller's new pack bytes must already be durable.
   */
  async rewrite(transform: (current: ChunkIndex) => Buffer): Promise<void> {
    await durableTransaction(
      this.env,
      () => {
        const current = new ChunkIndex()
        for (const {value} of this.segments.getRange()) current.addEntries(value)
        const kept = transform(current)
        for (const key of [...this.segments.getKeys()]) this.segments.removeSync(key)
        this.sizes.clear()
        let key = this.meta.get('nextSegment') ?? 1
        const step = MERGE_MAX_ENTRIES * ENTRY_BYTES
        for (let at = 0; at < kept.length; at += step) {
          const segment = kept.subarray(at, at + step)
          this.segments.putSync(key, segment)
          this.sizes.set(key++, segment.length / ENTRY_BYTES)
        }
        this.meta.putSync('nextSegment', key)
        // Views of other processes may hold entries this removed: they load anew (loadNewer).
        this.meta.putSync('rewrites', (this.meta.get('rewrites') ?? 0) + 1)
        this.bump()
      },
      this.segmentBytes([...this.sizes.keys()]),
    )
  }

  /** Claims a pack number no other process will use. */
  async claimPackNumber(): Promise<number> {
    return durableTransaction(this.env, () => {
      const pack = this.meta.get('nextPack') ?? 1
      this.meta.putSync('nextPack', pack + 1)
      return pack
    })
  }

  /** The bytes of these segments as last seen (for the room a rewrite of them asks for: room-for-write.ts). */
  private segmentBytes(keys: readonly number[]): number {
    return keys.reduce((sum, key) => sum + (this.sizes.get(key) ?? 0), 0) * ENTRY_BYTES
  }

  segmentCount(): number {
    return this.segments.getKeysCount()
  }

  /** Merges the smallest segments into one when there are too many of them and they are small, dropping duplicate ids. */
  async compact(): Promise<boolean> {
    const chosen = this.smallestToMerge()
    if (!chosen) return false
    return durableTransaction(
      this.env,
      () => {
        // Another process may have merged them meanwhile.
        if (chosen.some((key) => this.segments.getBinaryFast(key) === undefined)) return false
        const merged = new ChunkIndex()
        for (const key of chosen) merged.addEntries(this.segments.getBinary(key) as Buffer)
        for (const key of chosen) {
          this.segments.removeSync(key)
          this.sizes.delete(key)
        }
        const key = this.meta.get('nextSegment') ?? 1
        this.meta.putSync('nextSegment', key + 1)
        this.segments.putSync(key, merged.view(0, merged.size))
        this.sizes.set(key, merged.size)
        this.bump()
        return true
      },
      this.segmentBytes(chosen),
    )
  }

  /** The keys of the segments to merge, if any. Only a segment this process has not seen yet is read for its size. */
  private smallestToMerge(): number[] | undefined {
    if (this.segmentCount() <= MAX_SEGMENTS) return undefined
    const sizes: {key: number; entries: number}[] = []
    for (const key of this.segments.getKeys()) {
      const entries = this.sizes.get(key) ?? (this.segments.getBinaryFast(key)?.length ?? 0) / ENTRY_BYTES
      this.sizes.set(key, entries)
      sizes.push({key, entries})
    }
    // Forget segments another process merged away.
    const present = new Set(sizes.map(({key}) => key))
    for (const key of this.sizes.keys()) if (!present.has(key)) this.sizes.delete(key)
    if (sizes.length <= MAX_SEGMENTS) return undefined
    sizes.sort((a, b) => a.entries - b.entries)
    const chosen = sizes.slice(0, MERGE_AT_ONCE)
    if (chosen.reduce((n, segment) => n + segment.entries, 0) > MERGE_MAX_ENTRIES) return undefined
    return chosen.map(({key}) => key)
  }

  /**
   * Every change bumps the generation, and records the format when the store is new or older: in the transaction
   * that first indexes blocks of this format, so an older sync refuses the store (E_FORMAT) from then on.
   */
  private bump(): number {
    if ((this.meta.get('format') ?? 0) < FORMATS.store) this.meta.putSync('format', FORMATS.store)
    const generation = (this.meta.get('generation') ?? 0) + 1
    this.meta.putSync('generation', generation)
    return generation
  }
}
