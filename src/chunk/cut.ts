/**
 * Where chunks end, in a buffer of a file's bytes: the rules both the streaming Chunker and the PieceHasher cut
 * by. Text: one chunk per line, the line's bytes including its `\n`; a line longer than `max` is cut by the
 * content-defined chunker. Binary: content-defined chunks (cdc.ts). A chunk is emitted only when the bytes in
 * the buffer decide where it ends, so cutting a stream piece by piece gives the same chunks as cutting it whole.
 */
import {CDC, type CdcParams, cutPoint} from './cdc.js'
import type {FileKind} from './file-kind.js'

/** Receives each chunk as the range [start, end) of the buffer being cut; returning false stops the cutting. */
export type CutSink = (start: number, end: number) => boolean | void

const NEWLINE = 0x0a

/**
 * Emits the chunks of `buf` that start before `stopAt`, in order, until the sink returns false; returns how many
 * bytes they cover. Without a stop, the rest begins a chunk that may go on past `buf`: unless `eof`, it waits
 * for more bytes.
 */
export function cutChunks(kind: FileKind, buf: Uint8Array, eof: boolean, sink: CutSink, stopAt = buf.length, params: CdcParams = CDC): number {
  return kind === 'text' ? cutLines(buf, eof, sink, stopAt, params) : cutContent(buf, eof, sink, stopAt, params)
}

function cutLines(buf: Uint8Array, eof: boolean, sink: CutSink, stopAt: number, params: CdcParams): number {
  const {max} = params
  const n = buf.length
  let pos = 0
  let newline = -2 // -2: not searched yet; -1: none left in buf
  while (pos < stopAt) {
    if (newline !== -1 && newline < pos) newline = buf.indexOf(NEWLINE, pos)
    if (newline !== -1 && newline - pos < max) {
      const end = newline + 1
      if (sink(pos, end) === false) return end
      pos = end
      continue
    }
    const lineRest = newline === -1 ? n - pos : newline + 1 - pos
    if (lineRest <= max) {
      // No newline in sight and less than `max` bytes: the line may go on in the next buffer.
      if (!eof) break
      sink(pos, n)
      return n
    }
    // A line longer than `max`: cut it where the content says, within the next `max` bytes.
    const length = cutPoint(buf, pos, max, params)
    pos += length
    if (sink(pos - length, pos) === false) return pos
  }
  return pos
}

function cutContent(buf: Uint8Array, eof: boolean, sink: CutSink, stopAt: number, params: CdcParams): number {
  const {max} = params
  const n = buf.length
  let pos = 0
  while (pos < stopAt) {
    const available = n - pos
    if (available < max && !eof) break
    const length = cutPoint(buf, pos, available < max ? available : max, params)
    pos += length
    if (sink(pos - length, pos) === false) return pos
  }
  return pos
}
