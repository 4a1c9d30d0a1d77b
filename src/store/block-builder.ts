/** Collects chunks into one plain block (block.ts); `build` writes the header in front of the bytes. */
import {headerSize, writeHeader} from './block.js'

export class BlockBuilder {
  private data: Buffer
  private used = 0
  private lengths: number[] = []

  constructor(initialCapacity = 128 * 1024) {
    this.data = Buffer.allocUnsafe(initialCapacity)
  }

  get count(): number {
    return this.lengths.length
  }

  /** Bytes of chunk data so far (the header is not counted). */
  get byteLength(): number {
    return this.used
  }

  /** Adds a copy of `chunk`; returns its offset among the chunk bytes (add `headerSize` for its offset in the block). */
  add(chunk: Uint8Array): number {
    if (this.used + chunk.length > this.data.length) {
      const next = Buffer.allocUnsafe(Math.max(this.data.length * 2, this.used + chunk.length))
      this.data.copy(next, 0, 0, this.used)
      this.data = next
    }
    const at = this.used
    this.data.set(chunk, at)
    this.used += chunk.length
    this.lengths.push(chunk.length)
    return at
  }

  /** The plain block, and the size of its header (chunk i sits at header + its `add` offset). Resets the builder. */
  build(ids?: Buffer): {plain: Buffer; header: number} {
    const count = this.lengths.length
    const header = headerSize(count, ids !== undefined)
    const plain = Buffer.allocUnsafe(header + this.used)
    writeHeader(plain, this.lengths, count, ids)
    this.data.copy(plain, header, 0, this.used)
    this.used = 0
    this.lengths = []
    return {plain, header}
  }
}
