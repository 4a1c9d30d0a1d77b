/**
 * A worker thread that reads a big file, cuts it into chunks and hashes them (all, or some: hash-threads.ts),
 * piece by piece into the slots it shares with the main thread (hash-slots.ts), while the main thread stores the
 * pieces before (hash-threads.ts). One file at a time; the thread waits for the next.
 */
import {readSync} from 'node:fs'
import {parentPort} from 'node:worker_threads'
import {cutModeOf} from '../chunk/cut.js'
import {PieceHasher} from '../chunk/piece-hasher.js'
import {type HashJob, type WorkerReport, type WorkerRequest, slotPiece} from './hash-slots.js'

interface Progress {
  job: HashJob
  hasher: PieceHasher
  free: number[]
  pieces: number
  position: number
  finished: boolean
}

const port = parentPort!
let current: Progress | undefined

function report(message: WorkerReport): void {
  port.postMessage(message)
}

function fillSlot(progress: Progress, slot: number): void {
  const {job, hasher} = progress
  const piece = slotPiece(job.shared, job.layout, slot)
  hasher.begin(piece.bytes)
  const at = hasher.pending
  // No room to read when a full piece left a piece's worth of bytes: they are cut first.
  const want = Math.min(piece.bytes.length - at, job.size - progress.position)
  const read = want > 0 ? readSync(job.fd, piece.bytes, at, want, progress.position) : 0
  progress.position += read
  // A file cut short while read ends here too; the main thread's stat check reports it changed.
  const noMore = progress.position >= job.size || (want > 0 && read === 0)
  const hashed = progress.pieces++ % job.hashEvery === 0
  hasher.cut(piece, at + read, noMore, hashed)
  // Ids or lengths that outgrew the slot moved out of shared memory: the main thread would not see them.
  if (piece.ids.length > job.layout.maxChunks) throw new Error(`a piece of ${piece.count} chunks outgrew its slot`)
  const eof = noMore && hasher.pending === 0
  report({slot, count: piece.count, hashed, read, eof})
  progress.finished = eof
}

function fillFreeSlots(progress: Progress): void {
  while (!progress.finished && progress.free.length > 0) {
    try {
      fillSlot(progress, progress.free.shift()!)
    } catch (error) {
      progress.finished = true
      const {message, code, syscall} = error as NodeJS.ErrnoException
      report({error: {message, code, syscall}})
    }
  }
}

port.on('message', (request: WorkerRequest) => {
  if ('job' in request) {
    const {job} = request
    const free = Array.from({length: job.layout.slots}, (_, slot) => slot)
    current = {job, hasher: new PieceHasher(cutModeOf(job.kind, job.size)), free, pieces: 0, position: 0, finished: false}
  } else {
    current?.free.push(request.slot)
  }
  if (current) fillFreeSlots(current)
})
