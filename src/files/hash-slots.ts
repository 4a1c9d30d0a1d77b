/**
 * The memory a hashing worker (hash-worker.ts) and the main thread share for one file: slots, each holding one
 * piece (piece-hasher.ts): its bytes, its chunk lengths and its ids. The worker fills a slot and reports it; the
 * main thread stores the chunks and gives the slot back. Pages are touched only as far as pieces reach.
 */
import {CDC} from '../chunk/cdc.js'
import {ID_BYTES} from '../chunk/chunk-id.js'
import type {FileKind} from '../chunk/file-kind.js'
import {IdList} from '../chunk/id-list.js'
import type {Piece} from '../chunk/piece-hasher.js'

export interface SlotLayout {
  /** How far the worker may run ahead of the main thread, in pieces. */
  slots: number
  /** Bytes read into a piece at most. */
  readBytes: number
  /** Chunks a slot holds: a piece with more is full before its end, and the rest goes into the next. */
  maxChunks: number
}

/**
 * Text: 4 pieces of 512 KiB, lines of 16 bytes or more on average (a 1 MiB piece's 40,000 ids take 1.3 MB, and
 * peak memory is a goal). Binary: 8 pieces of 1 MiB, chunks of 4 KiB or more (all but a file's last).
 */
export function layoutFor(kind: FileKind): SlotLayout {
  return kind === 'text' ? {slots: 4, readBytes: 512 * 1024, maxChunks: 32 * 1024} : {slots: 8, readBytes: 1024 * 1024, maxChunks: 512}
}

/** One file's hashing, as the main thread hands it to the worker. */
export interface HashJob {
  /** The file, opened by the main thread (threads share descriptors); read from 0 up to `size`. */
  fd: number
  size: number
  kind: FileKind
  /** The worker hashes the chunks of every `hashEvery`-th piece (1: all); the main thread hashes the others. */
  hashEvery: number
  layout: SlotLayout
  shared: SharedArrayBuffer
}

/** To the worker: a file to hash, or a slot given back. */
export type WorkerRequest = {job: HashJob} | {slot: number}

/** From the worker: a filled slot (`read` bytes of the file went into it), or why it stopped. */
export type WorkerReport =
  {slot: number; count: number; hashed: boolean; read: number; eof: boolean} | {error: {message: string; code?: string; syscall?: string}}

function sizes(layout: SlotLayout) {
  const bytes = layout.readBytes + CDC.max
  const lengths = layout.maxChunks * 4
  const ids = layout.maxChunks * ID_BYTES
  return {bytes, lengths, ids, slot: bytes + lengths + ids}
}

export function sharedSlots(layout: SlotLayout): SharedArrayBuffer {
  return new SharedArrayBuffer(layout.slots * sizes(layout).slot)
}

/** The piece in `slot`: `count` chunks, and as many ids when `hashed` (else room for them). */
export function slotPiece(shared: SharedArrayBuffer, layout: SlotLayout, slot: number, count = 0, hashed = false): Piece {
  const size = sizes(layout)
  const at = slot * size.slot
  const ids = Buffer.from(shared, at + size.bytes + size.lengths, size.ids)
  return {
    bytes: Buffer.from(shared, at, size.bytes),
    count,
    lengths: new Uint32Array(shared, at + size.bytes, layout.maxChunks),
    ids: hashed ? IdList.fromBuffer(ids.subarray(0, count * ID_BYTES)) : IdList.over(ids),
    maxChunks: layout.maxChunks,
  }
}
