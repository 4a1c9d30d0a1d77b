/**
 * Streaming chunker. Text: one chunk per line, the line's bytes including its `\n` (so CRLF, a lone `\r`, a
 * last line without newline and any encoding survive byte for byte); a line longer than 64 KiB is cut by the
 * content-defined chunker, so memory stays bounded and a long line still dedups. Binary: content-defined
 * chunks (cdc.ts). Feed it buffers with `push`, finish with `end`; it keeps at most one chunk's worth of
 * bytes between calls, whatever the size of the input.
 */
import {CDC, type CdcParams, cutPoint} from './cdc.js'
import type {FileKind} from './file-kind.js'

/** Receives each chunk in order. The bytes are only valid during the call: copy them to keep them. */
export type ChunkSink = (chunk: Buffer) => void

const NEWLINE = 0x0a
const EMPTY = Buffer.alloc(0)

export class Chunker {
  private carry: Buffer = EMPTY

  constructor(
    readonly kind: FileKind,
    private readonly params: CdcParams = CDC,
  ) {}

  push(data: Buffer, sink: ChunkSink): void {
    if (data.length === 0) return
    const buf = this.carry.length === 0 ? data : Buffer.concat([this.carry, data])
    const used = this.split(buf, false, sink)
    // Copy what is left: the caller reuses `data` for its next read.
    this.carry = used === buf.length ? EMPTY : Buffer.from(buf.subarray(used))
  }

  end(sink: ChunkSink): void {
    if (this.carry.length > 0) this.split(this.carry, true, sink)
    this.carry = EMPTY
  }

  private split(buf: Buffer, eof: boolean, sink: ChunkSink): number {
    return this.kind === 'text' ? this.splitLines(buf, eof, sink) : this.splitContent(buf, eof, sink)
  }

  /** Returns how many bytes of `buf` were emitted; the rest waits for more input (or `eof`). */
  private splitLines(buf: Buffer, eof: boolean, sink: ChunkSink): number {
    const {max} = this.params
    const n = buf.length
    let pos = 0
    let newline = -2 // -2: not searched yet; -1: none left in buf
    while (pos < n) {
      if (newline !== -1 && newline < pos) newline = buf.indexOf(NEWLINE, pos)
      if (newline !== -1 && newline - pos < max) {
        sink(buf.subarray(pos, newline + 1))
        pos = newline + 1
        continue
      }
      const lineRest = newline === -1 ? n - pos : newline + 1 - pos
      if (lineRest <= max) {
        // No newline in sight and less than `max` bytes: the line may go on in the next buffer.
        if (!eof) break
        sink(buf.subarray(pos, n))
        return n
      }
      // A line longer than `max`: cut it where the content says, within the next `max` bytes.
      const length = cutPoint(buf, pos, max, this.params)
      sink(buf.subarray(pos, pos + length))
      pos += length
    }
    return pos
  }

  private splitContent(buf: Buffer, eof: boolean, sink: ChunkSink): number {
    const {max} = this.params
    const n = buf.length
    let pos = 0
    while (pos < n) {
      const available = n - pos
      if (available < max && !eof) break
      const length = cutPoint(buf, pos, available < max ? available : max, this.params)
      sink(buf.subarray(pos, pos + length))
      pos += length
    }
    return pos
  }
}
