/**
 * Cuts a file into chunks and hashes them, one piece (a read) at a time: the bytes of a chunk that goes on past
 * a piece move to the front of the next one, so a piece's chunks lie one after another from its first byte.
 * Storing them then needs their lengths only, not a view per chunk. The same code runs on the main thread for
 * small files and in a worker thread for big ones (files/hash-worker.ts), where pieces live in shared memory.
 */
import {CDC, type CdcParams} from './cdc.js'
import {type CutMode, cutChunks} from './cut.js'
import {sha256Key} from './hash.js'
import type {IdList} from './id-list.js'

export interface Piece {
  /** The piece's bytes: its chunks one after another from offset 0, then the start of the next chunk. */
  bytes: Buffer
  /** How many chunks the piece has. */
  count: number
  /** The length of each chunk, in order (the first `count`). */
  lengths: Uint32Array
  /** The chunks' ids, in order: `count` of them once hashed. */
  ids: IdList
  /** The most chunks the piece holds (its ids and lengths live in shared memory and cannot grow); none: any. */
  maxChunks?: number
}

/** Keys joined before they are written into an id list: one write per run instead of one per id (30 ns an id). */
const KEYS_PER_WRITE = 1024

export class PieceHasher {
  /** The bytes the last piece did not cut: a chunk that goes on past it (at most `max` bytes), or more after a full piece. */
  private carry: Buffer
  private carried = 0

  constructor(
    readonly mode: CutMode,
    private readonly params: CdcParams = CDC,
  ) {
    this.carry = Buffer.allocUnsafe(params.max)
  }

  /** Bytes left over from the last piece: a piece's buffer needs this much room before what is read into it. */
  get pending(): number {
    return this.carried
  }

  /** Starts a piece: copies the bytes left over to the front of `bytes`; the read goes after them (at `pending`). */
  begin(bytes: Buffer): void {
    this.carry.copy(bytes, 0, 0, this.carried)
  }

  /**
   * Cuts `piece.bytes[0, end)` (the bytes left over, then those read) into chunks, replacing the last piece's,
   * and hashes them into its ids unless `hashIds` is false (`hashPiece` does it later, on another thread, say).
   * What is not cut waits for the next piece: unless `eof`, the bytes of an unfinished chunk; and the rest of a
   * piece that is full (`maxChunks`), even at the end.
   */
  cut(piece: Piece, end: number, eof: boolean, hashIds = true): void {
    const {bytes, ids} = piece
    const maxChunks = piece.maxChunks ?? Infinity
    // Each chunk is hashed through a plain Uint8Array view: Buffer#subarray goes through its species
    // constructor, and cost 15% more per line here.
    const memory = bytes.buffer
    const base = bytes.byteOffset
    ids.clear()
    let lengths = piece.lengths
    let count = 0
    let keys = ''
    const used = cutChunks(
      this.mode,
      bytes.subarray(0, end),
      eof,
      (start, stop) => {
        if (count === lengths.length) lengths = piece.lengths = grown(lengths)
        lengths[count++] = stop - start
        if (hashIds) {
          keys += sha256Key(new Uint8Array(memory, base + start, stop - start))
          if (count % KEYS_PER_WRITE === 0) {
            ids.pushKeys(keys)
            keys = ''
          }
        }
        return count < maxChunks
      },
      end,
      this.params,
    )
    if (keys.length > 0) ids.pushKeys(keys)
    piece.count = count
    if (end - used > this.carry.length) this.carry = Buffer.allocUnsafe(end - used)
    this.carried = bytes.copy(this.carry, 0, used, end)
  }
}

/** Hashes the chunks of a piece cut without ids into its ids. */
export function hashPiece(piece: Piece): void {
  const {bytes, lengths, ids} = piece
  ids.clear()
  let offset = bytes.byteOffset
  for (let i = 0; i < piece.count; i++) {
    ids.pushKey(sha256Key(new Uint8Array(bytes.buffer, offset, lengths[i])))
    offset += lengths[i]
  }
}

function grown(lengths: Uint32Array): Uint32Array {
  const next = new Uint32Array(Math.max(64, lengths.length * 2))
  next.set(lengths)
  return next
}

/**
 * A piece as a file's reader hands it over: its chunks, and how many of the file's bytes were read into it.
 * `release` says its bytes are no longer needed (stored), so that the reader may refill its memory before the
 * caller asks for the next piece.
 */
export interface ReadPiece {
  piece: Piece
  read: number
  release(): void
}
