/**
 * Collects chunks into one plain block (block.ts). The chunk bytes go in after room for the header, so `build`
 * writes the header in front of them and hands the buffer over without copying; buffers given back with
 * `recycle` take the next blocks. Building each block into a new buffer and copying it once more was 100 MB of
 * copies and of garbage per 100 MB of new chunks.
 */
import {headerSize, writeHeader} from './block.js'
import {LARGE_BLOCK_TARGET_BYTES} from './limits.js'

/** Room for the header of a block of up to 4,096 chunks without ids (lines of 16 bytes on average, or longer). */
const HEADER_ROOM = headerSize(4096, false)
/**
 * Chunk bytes a buffer holds: a block is sealed past 256 KiB at most (limits.ts), so that plus one chunk of up to
 * 64 KiB. Pages past what a block uses (blocks of lines are sealed past 64 KiB) are never touched.
 */
const DATA_ROOM = LARGE_BLOCK_TARGET_BYTES + 64 * 1024
const BUFFER_BYTES = HEADER_ROOM + DATA_ROOM
/** Chunks up to this long are copied in a loop (lines), longer ones with one `set`. */
const SHORT_COPY = 128
/** Buffers kept for reuse (blocks on their way to disk hold the others). */
const MAX_SPARE = 16

export class BlockBuilder {
  private data: Buffer = Buffer.allocUnsafe(BUFFER_BYTES)
  private used = 0
  /** Chunk lengths, kept from block to block: an array per block lived through young-generation GCs. */
  private lengths = new Uint32Array(1024)
  private chunks = 0
  private readonly spare: Buffer[] = []

  get count(): number {
    return this.chunks
  }

  /** Bytes of chunk data so far (the header is not counted). */
  get byteLength(): number {
    return this.used
  }

  /**
   * Adds a copy of the chunk `source[start, start + length)`; returns its offset among the chunk bytes (add
   * `headerSize` for its offset in the block).
   */
  add(source: Uint8Array, start: number, length: number): number {
    if (HEADER_ROOM + this.used + length > this.data.length) {
      const next = Buffer.allocUnsafe(Math.max(this.data.length * 2, HEADER_ROOM + this.used + length))
      this.data.copy(next, HEADER_ROOM, HEADER_ROOM, HEADER_ROOM + this.used)
      this.data = next
    }
    const at = this.used
    const to = HEADER_ROOM + at
    if (length <= SHORT_COPY) {
      // A line: copied byte by byte, cheaper than the view that `set` needs.
      const data = this.data
      for (let i = 0; i < length; i++) data[to + i] = source[start + i]
    } else {
      this.data.set(source.subarray(start, start + length), to)
    }
    this.used += length
    if (this.chunks === this.lengths.length) {
      const longer = new Uint32Array(this.lengths.length * 2)
      longer.set(this.lengths)
      this.lengths = longer
    }
    this.lengths[this.chunks++] = length
    return at
  }

  /** A copy of the chunk bytes added at `offset` (what `add` returned) since the last `build`. */
  copyOf(offset: number, length: number): Buffer {
    return Buffer.from(this.data.subarray(HEADER_ROOM + offset, HEADER_ROOM + offset + length))
  }

  /**
   * The plain block, and the size of its header (chunk i sits at header + its `add` offset). Resets the
   * builder; the block's buffer is the caller's until it gives it back with `recycle`.
   */
  build(ids?: Buffer): {plain: Buffer; header: number} {
    const count = this.chunks
    const header = headerSize(count, ids !== undefined)
    let plain: Buffer
    if (header <= HEADER_ROOM) {
      plain = this.data.subarray(HEADER_ROOM - header, HEADER_ROOM + this.used)
      this.data = this.spare.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES)
    } else {
      // A header too large for the room (many tiny chunks, or ids): the block is copied behind it.
      plain = Buffer.allocUnsafe(header + this.used)
      this.data.copy(plain, header, HEADER_ROOM, HEADER_ROOM + this.used)
    }
    writeHeader(plain, this.lengths, count, ids)
    this.used = 0
    this.chunks = 0
    return {plain, header}
  }

  /** Forgets the chunks added since the last `build` (their block will never be written). */
  discard(): void {
    this.used = 0
    this.chunks = 0
  }

  /** Gives back the buffer of a block from `build` that nothing reads any more. */
  recycle(plain: Buffer): void {
    if (plain.buffer.byteLength !== BUFFER_BYTES || this.spare.length >= MAX_SPARE) return
    this.spare.push(Buffer.from(plain.buffer, 0, BUFFER_BYTES))
  }
}
