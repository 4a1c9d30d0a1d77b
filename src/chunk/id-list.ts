import {ID_BYTES} from './chunk-id.js'
import {hexLines} from './hex-lines.js'
import {latin1Write} from '../util/latin1-write.js'

const ID_WORDS = ID_BYTES / 4
/** Unused bytes a list may keep after `trim`, at least... */
const TRIM_SLACK = 64 * 1024
/** ...or this fraction of its room: a list sized from an estimate (a file's previous version) is not copied for a few percent. */
const TRIM_SLACK_FRACTION = 1 / 32

/**
 * An ordered list of chunk ids kept as one growing buffer of 32-byte ids: a 100 MB text file has about
 * two million lines, and two million hex strings would cost ten times the memory.
 */
export class IdList {
  private bytes: Buffer
  private wordView?: Uint32Array
  private count = 0

  constructor(capacity = 64) {
    this.bytes = Buffer.allocUnsafe(Math.max(1, capacity) * ID_BYTES)
  }

  static fromHex(ids: Iterable<string>): IdList {
    const list = new IdList()
    for (const id of ids) list.pushHex(id)
    return list
  }

  /** Wrap a buffer of concatenated 32-byte ids (not copied). */
  static fromBuffer(buffer: Buffer): IdList {
    if (buffer.length % ID_BYTES !== 0) throw new RangeError(`id buffer length ${buffer.length} is not a multiple of ${ID_BYTES}`)
    const list = new IdList(0)
    list.bytes = buffer
    list.count = buffer.length / ID_BYTES
    return list
  }

  /** An empty list whose ids go into `buffer` (a region of shared memory, say) until it is full. */
  static over(buffer: Buffer): IdList {
    const list = new IdList(0)
    list.bytes = buffer
    return list
  }

  /** The ids `buffer` can hold before the list moves to a larger one of its own. */
  get capacity(): number {
    return Math.floor(this.bytes.length / ID_BYTES)
  }

  get length(): number {
    return this.count
  }

  /**
   * The ids as 32-bit words, eight per id, in the machine's byte order: the store's index compares and copies
   * ids as words (chunk-index.ts). A view of the same memory, valid until the list grows.
   */
  get words(): Uint32Array {
    if (!this.wordView) {
      // Buffers made here are aligned; one wrapped by fromBuffer (a slice of a decoded manifest) may not be.
      if (this.bytes.byteOffset % 4 !== 0) this.bytes = Buffer.from(this.bytes)
      this.wordView = new Uint32Array(this.bytes.buffer, this.bytes.byteOffset, (this.bytes.length / ID_BYTES) * ID_WORDS)
    }
    return this.wordView
  }

  pushHex(id: string): void {
    const at = this.slot() // first: it may replace this.bytes
    this.bytes.write(id, at, ID_BYTES, 'hex')
  }

  /** Appends an id given as a key (hash.ts: 32 bytes in a latin1 string). */
  pushKey(key: string): void {
    const at = this.slot() // first: it may replace this.bytes
    latin1Write(this.bytes, key, at, ID_BYTES)
  }

  /** Appends the ids given as keys joined into one string (32 latin1 characters each). */
  pushKeys(keys: string): void {
    const n = keys.length / ID_BYTES
    const at = this.slot(n) // first: it may replace this.bytes
    latin1Write(this.bytes, keys, at, n * ID_BYTES)
  }

  /** Appends the ids of `other`, in order. */
  append(other: IdList): void {
    if (other.count === 0) return
    this.slot(other.count)
    other.bytes.copy(this.bytes, (this.count - other.count) * ID_BYTES, 0, other.count * ID_BYTES)
  }

  /**
   * Gives back the room past the last id when it is large (a list grown by doubling holds up to twice its ids: a
   * 1 GB text file's 21 MB of ids in 33 MB, kept as long as its manifest is). A copy, held beside the list for a
   * moment, so only past TRIM_SLACK and past TRIM_SLACK_FRACTION of the room.
   */
  trim(): this {
    if (this.bytes.length - this.count * ID_BYTES > Math.max(TRIM_SLACK, this.bytes.length * TRIM_SLACK_FRACTION)) {
      this.bytes = Buffer.from(this.toBuffer())
      this.wordView = undefined
    }
    return this
  }

  /** Forgets every id, keeping the memory for the next ones. */
  clear(): void {
    this.count = 0
  }

  /**
   * Ids [from, to) as lines of 64 hex digits, each ending in a newline: what `sync hashify` prints. Written into
   * `into` (and a view of it returned) when it has room for 65 bytes per id.
   */
  hexLines(from = 0, to = this.count, into?: Buffer): Buffer {
    return hexLines(this.bytes, from, to, into)
  }

  hexAt(index: number): string {
    return this.bytes.toString('hex', index * ID_BYTES, (index + 1) * ID_BYTES)
  }

  keyAt(index: number): string {
    return this.bytes.toString('latin1', index * ID_BYTES, (index + 1) * ID_BYTES)
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.hexAt(i)
  }

  toHexArray(): string[] {
    return [...this]
  }

  /** Ids [from, to) as hex strings, `to` clipped to the end: a window of a long list (670,000 hex strings are 60 MB). */
  hexRange(from: number, to: number): string[] {
    const out: string[] = []
    for (let i = from; i < Math.min(to, this.count); i++) out.push(this.hexAt(i))
    return out
  }

  /** The ids as one buffer of count x 32 bytes (a view, not a copy). */
  toBuffer(): Buffer {
    return this.bytes.subarray(0, this.count * ID_BYTES)
  }

  equals(other: IdList): boolean {
    return this.count === other.count && this.toBuffer().equals(other.toBuffer())
  }

  /** Makes room for `capacity` ids in all, in one buffer of that size (nothing when there is room already). */
  reserve(capacity: number): void {
    if (capacity * ID_BYTES <= this.bytes.length) return
    const next = Buffer.allocUnsafe(capacity * ID_BYTES)
    this.bytes.copy(next, 0, 0, this.count * ID_BYTES)
    this.bytes = next
    this.wordView = undefined
  }

  /** Byte offset for `n` more ids (one by default), growing the buffer when full. */
  private slot(n = 1): number {
    if ((this.count + n) * ID_BYTES > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, (this.count + n) * ID_BYTES, ID_BYTES * 64))
      this.bytes.copy(next, 0, 0, this.count * ID_BYTES)
      this.bytes = next
      this.wordView = undefined
    }
    const at = this.count * ID_BYTES
    this.count += n
    return at
  }
}
