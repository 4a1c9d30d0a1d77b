/**
 * Streaming chunker, cutting by cut.ts's rules. Text: one chunk per line, the line's bytes including its `\n` (so
 * CRLF, a lone `\r`, a last line without newline and any encoding survive byte for byte); a line longer than
 * 64 KiB is cut by the content-defined chunker, so memory stays bounded and a long line still dedups. Binary:
 * content-defined chunks (cdc.ts). Feed it buffers with `push`, finish with `end`; it keeps at most one chunk's worth of
 * bytes between calls, whatever the size of the input, in a window of three chunks reused from push to push:
 * the bytes left over, joined with just enough of the next push to end the chunks they begin (a buffer
 * concatenating them with the whole next read copied every byte once more, and was 100 MB of garbage per file).
 */
import {CDC, type CdcParams} from './cdc.js'
import {type CutMode, cutChunks} from './cut.js'

/**
 * Receives each chunk in order. The bytes stay valid until the next `push` or `end` (as long as the caller does
 * not change the buffer it pushed): copy them to keep them longer.
 */
export type ChunkSink = (chunk: Buffer) => void

const EMPTY = Buffer.alloc(0)

export class Chunker {
  /** Room for the bytes left over (at most `max`) after a join of them and `max` more bytes. */
  private window: Buffer = EMPTY
  /** The bytes left over by the last push: window[start, start + carried). */
  private start = 0
  private carried = 0

  constructor(
    readonly mode: CutMode,
    private readonly params: CdcParams = CDC,
  ) {}

  push(data: Buffer, sink: ChunkSink): void {
    if (data.length === 0) return
    let from = 0
    if (this.carried > 0) {
      const carried = this.carried
      const joined = this.join(data.subarray(0, Math.min(data.length, this.params.max)))
      // Only the chunks that start in the bytes left over: the rest are cut in `data` itself.
      const used = this.split(joined, false, sink, carried)
      if (used < carried) {
        // Too few bytes to end them: `data` was short, and all of it is in the window, waiting.
        this.start = used
        this.carried = joined.length - used
        return
      }
      from = used - carried
    }
    const rest = data.subarray(from)
    this.carry(rest.subarray(this.split(rest, false, sink)))
  }

  end(sink: ChunkSink): void {
    if (this.carried > 0) this.split(this.window.subarray(this.start, this.start + this.carried), true, sink)
    this.carried = 0
  }

  /** The bytes left over, then `more`, at the front of the window (the last push's chunks are done with). */
  private join(more: Buffer): Buffer {
    this.window.copyWithin(0, this.start, this.start + this.carried)
    more.copy(this.window, this.carried)
    return this.window.subarray(0, this.carried + more.length)
  }

  /** Keeps `rest` past any join, so that the chunks this push emitted from the window stay valid. */
  private carry(rest: Buffer): void {
    this.carried = rest.length
    if (rest.length === 0) return
    const max = this.params.max
    if (this.window.length === 0) this.window = Buffer.allocUnsafe(3 * max)
    rest.copy(this.window, 2 * max)
    this.start = 2 * max
  }

  /** Emits the chunks of `buf` that start before `stopAt` as views of it; returns how many bytes they cover. */
  private split(buf: Buffer, eof: boolean, sink: ChunkSink, stopAt = buf.length): number {
    return cutChunks(this.mode, buf, eof, (start, end) => sink(buf.subarray(start, end)), stopAt, this.params)
  }
}
