/**
 * A set of the ids of some IdLists, without copying them: an open-addressing table of 4-byte positions into the
 * lists. Membership over a 1 GB text file's 670,000 ids then costs about 8 MB, where a Set of key strings cost
 * about 100 bytes an id (a string and a Set entry each), twice that while the collector catches up. The home slot
 * mixes the id's first two words with a random seed, as the store's index does (chunk-index.ts): a writer who
 * grinds ids sharing their first bytes cannot pile every lookup into one run of slots.
 */
import {randomInt} from 'node:crypto'
import {latin1Write} from '../util/latin1-write.js'
import {ID_BYTES} from './chunk-id.js'
import {homeOf} from './id-home.js'
import {IdList} from './id-list.js'

const ID_WORDS = ID_BYTES / 4

export class IdSet {
  private readonly lists: IdList[] = []
  /** The position of each list's first id (positions number the ids of all lists in order). */
  private readonly starts: number[] = []
  /** Ids added one by one (`addKey`): the last list, which grows. */
  private readonly added = new IdList()
  private total = 0
  /** Position + 1 of an id per slot; 0 marks an empty slot. */
  private slots = new Uint32Array(16)
  private mask = 15
  private count = 0
  private readonly probe = new Uint32Array(ID_WORDS)
  private readonly probeBytes = Buffer.from(this.probe.buffer)

  constructor(
    lists: Iterable<IdList> = [],
    private readonly seed = randomInt(2 ** 32 - 1),
  ) {
    for (const list of lists) this.addList(list)
  }

  get size(): number {
    return this.count
  }

  /** Whether the id at `index` of `list` is in the set. */
  hasAt(list: IdList, index: number): boolean {
    return this.find(list.words, index * ID_WORDS) !== -1
  }

  /** Whether the id given as a key (hash.ts: 32 bytes in a latin1 string) is in the set. */
  hasKey(key: string): boolean {
    latin1Write(this.probeBytes, key, 0, ID_BYTES)
    return this.find(this.probe, 0) !== -1
  }

  /** Adds the id given as a key; false when it was there already. */
  addKey(key: string): boolean {
    if (this.hasKey(key)) return false
    this.added.pushKey(key)
    this.total++
    this.insert(this.total - 1)
    return true
  }

  /** Adds the ids of `list` (not copied: the list must not change while the set is used). */
  private addList(list: IdList): void {
    if (list.length === 0) return
    const words = list.words
    const first = this.total
    this.lists.push(list)
    this.starts.push(first)
    this.total += list.length
    for (let i = 0; i < list.length; i++) if (this.find(words, i * ID_WORDS) === -1) this.insert(first + i)
  }

  /** The position of the id at `words[at]`, or -1. */
  private find(words: Uint32Array, at: number): number {
    const slots = this.slots
    for (let slot = this.home(words, at); ; slot = (slot + 1) & this.mask) {
      const value = slots[slot]
      if (value === 0) return -1
      const [stored, from] = this.wordsOf(value - 1)
      let same = true
      for (let w = 0; w < ID_WORDS && same; w++) same = stored[from + w] === words[at + w]
      if (same) return value - 1
    }
  }

  private insert(position: number): void {
    if ((this.count + 1) * 4 > this.slots.length * 3) this.rehash()
    const [words, at] = this.wordsOf(position)
    let slot = this.home(words, at)
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask
    this.slots[slot] = position + 1
    this.count++
  }

  private rehash(): void {
    const old = this.slots
    this.slots = new Uint32Array(old.length * 2)
    this.mask = this.slots.length - 1
    for (const value of old) {
      if (value === 0) continue
      const [words, at] = this.wordsOf(value - 1)
      let slot = this.home(words, at)
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask
      this.slots[slot] = value
    }
  }

  /** The words holding the id at `position`, and where it starts in them. */
  private wordsOf(position: number): [Uint32Array, number] {
    if (position >= this.total - this.added.length) {
      return [this.added.words, (position - (this.total - this.added.length)) * ID_WORDS]
    }
    let low = 0
    let high = this.starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >>> 1
      if (this.starts[middle] <= position) low = middle
      else high = middle - 1
    }
    return [this.lists[low].words, (position - this.starts[low]) * ID_WORDS]
  }

  private home(words: Uint32Array, at: number): number {
    return homeOf(words[at], words[at + 1], this.seed) & this.mask
  }
}
