/**
 * The mark phase's record (collect-garbage.ts): one byte per entry of an index snapshot, set when a retained
 * version names the chunk. Ids the snapshot lacks (added since it was taken) are not candidates for deletion
 * anyway, so marking them is a no-op.
 */
import {hexToKey} from '../chunk/hash.js'
import type {IdList} from '../chunk/id-list.js'
import type {ChunkIndex} from './chunk-index.js'

const ID_WORDS = 8

export class Marks {
  private readonly marked: Uint8Array
  private count = 0

  /** The snapshot's entries when marking began: those looked at (an index a store still adds to grows past them). */
  readonly entries: number

  constructor(readonly index: ChunkIndex) {
    this.entries = index.size
    this.marked = new Uint8Array(this.entries)
  }

  /** Entries marked so far. */
  get size(): number {
    return this.count
  }

  /** Marks every id of `ids`. */
  markList(ids: IdList): void {
    const words = ids.words
    for (let i = 0; i < ids.length; i++) this.set(this.index.findId(words, i * ID_WORDS))
  }

  /** Marks one id (lowercase hex). */
  markHex(id: string): void {
    this.set(this.index.find(hexToKey(id)))
  }

  /** Whether the snapshot's entry number `entry` is marked. */
  has(entry: number): boolean {
    return this.marked[entry] === 1
  }

  /** Whether the id (key, hash.ts) is in the snapshot and marked. */
  hasKey(key: string): boolean {
    const entry = this.index.find(key)
    return entry !== -1 && this.has(entry)
  }

  private set(entry: number): void {
    if (entry === -1 || entry >= this.entries || this.marked[entry] === 1) return
    this.marked[entry] = 1
    this.count++
  }
}
