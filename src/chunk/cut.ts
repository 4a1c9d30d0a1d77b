/**
 * Where chunks end, in a buffer of a file's bytes: the rules both the streaming Chunker and the PieceHasher cut
 * by. Text: one chunk per line, the line's bytes including its `\n`; a line longer than `max` is cut by the
 * content-defined chunker. Text of a large file (`text-runs`): runs of whole lines of a few KiB, cut where the
 * content says (docs/hashing.md). Binary: content-defined chunks (cdc.ts). A chunk is emitted only when the
 * bytes in the buffer decide where it ends, so cutting a stream piece by piece gives the same chunks as cutting
 * it whole.
 */
import {CDC, type CdcParams, cutPoint} from './cdc.js'
import type {FileKind} from './file-kind.js'

/** How a file is cut: by its kind, and for text by its size too. */
export type CutMode = FileKind | 'text-runs'

/**
 * Text files from this size on are cut into runs of lines: a chunk per line would make a 1 GB file 37 million
 * chunks (1.2 GB of ids alone); runs of ~1.6 KiB make it about 670,000. Below it, a one-line edit sends one line.
 * Part of the hashing format: every device must cut a file the same way for its versions to compare equal.
 */
export const LINE_RUNS_FROM_BYTES = 8 * 1024 * 1024

/**
 * A run ends after a line once it holds `min` bytes, when the mix of the FNV-1a hashes of that whole line and of
 * the run's line before it has its top 4 bits clear (one pair of lines in 16); never past `max` bytes, unless its
 * single line is longer (then cut as a line of plain text is). Whole lines, not a window of their last bytes:
 * lines often end alike (`;`, a unit, a closing tag), and a window would then never, or always, cut. Two lines,
 * not one: a line that recurs (a blank line, `---`) would cut at each occurrence or never. Measured on 100 MB of
 * recipe text (docs/hashing.md): runs of 1.6 KiB, and the bytes an inserted line makes new 2.1 KiB on average
 * (3.0 KiB at the 90th percentile of 41 places), against 5.5 (9.2) KiB by the first rules of 2026-12-04 (2 KiB
 * minimum, 16 KiB maximum, one line's hash, 1 in 32). A device of that version cuts by those: both lists name
 * the same bytes (docs/storage.md, Chunks).
 */
export const LINE_RUNS = {min: 1024, max: 8 * 1024, topBits: 4}

export function cutModeOf(kind: FileKind, size: number): CutMode {
  return kind === 'text' && size >= LINE_RUNS_FROM_BYTES ? 'text-runs' : kind
}

/** Receives each chunk as the range [start, end) of the buffer being cut; returning false stops the cutting. */
export type CutSink = (start: number, end: number) => boolean | void

const NEWLINE = 0x0a

/**
 * Emits the chunks of `buf` that start before `stopAt`, in order, until the sink returns false; returns how many
 * bytes they cover. Without a stop, the rest begins a chunk that may go on past `buf`: unless `eof`, it waits
 * for more bytes.
 */
export function cutChunks(mode: CutMode, buf: Uint8Array, eof: boolean, sink: CutSink, stopAt = buf.length, params: CdcParams = CDC): number {
  if (mode === 'text') return cutLines(buf, eof, sink, stopAt, params)
  return mode === 'binary' ? cutContent(buf, eof, sink, stopAt, params) : cutRuns(buf, eof, sink, stopAt, params)
}

function cutRuns(buf: Uint8Array, eof: boolean, sink: CutSink, stopAt: number, params: CdcParams): number {
  let pos = 0
  while (pos < stopAt) {
    const end = runEnd(buf, pos, eof, params)
    if (end === -1) break
    if (sink(pos, end) === false) return end
    pos = end
  }
  return pos
}

/** Where the run of lines that starts at `start` ends, or -1 when the bytes in `buf` do not decide it yet. */
function runEnd(buf: Uint8Array, start: number, eof: boolean, params: CdcParams): number {
  const n = buf.length
  const limit = start + LINE_RUNS.max
  let end = start
  let previous = 0 // the hash of the run's line before this one; 0 for its first
  for (;;) {
    const newline = buf.indexOf(NEWLINE, end)
    if (newline === -1 || newline >= limit) {
      // The next line does not end in the buffer within the run's room.
      const fits = newline === -1 && n < limit
      if (fits && !eof) return -1
      if (fits) return n
      // It is longer than the room left: the run ends before it, or, when it is the run's first, it is cut alone.
      return end > start ? end : lineEnd(buf, start, eof, params)
    }
    const lineStart = end
    end = newline + 1
    const hash = lineHash(buf, lineStart, end)
    if (end - start >= LINE_RUNS.min && mix(previous, hash) >>> (32 - LINE_RUNS.topBits) === 0) return end
    previous = hash
  }
}

/** FNV-1a (32 bits) of the line [start, end), its `\n` included. */
function lineHash(buf: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5
  for (let p = start; p < end; p++) hash = Math.imul(hash ^ buf[p], 0x01000193)
  return hash
}

/** Two lines' hashes as one, every bit of both reaching the top bits (murmur3's finaliser). */
function mix(previous: number, hash: number): number {
  let h = Math.imul(previous, 0x01000193) ^ hash
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** The end of the chunk that starts at `start` as plain text is cut (cutLines), or -1 when not decided yet. */
function lineEnd(buf: Uint8Array, start: number, eof: boolean, params: CdcParams): number {
  let end = -1
  cutLines(
    buf,
    eof,
    (_, stop) => {
      end = stop
      return false
    },
    start + 1,
    params,
    start,
  )
  return end
}

function cutLines(buf: Uint8Array, eof: boolean, sink: CutSink, stopAt: number, params: CdcParams, from = 0): number {
  const {max} = params
  const n = buf.length
  let pos = from
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
