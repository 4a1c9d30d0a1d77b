/**
 * A big file's pieces, read, cut and hashed beside the caller, which stores the pieces before: the hashing
 * thread (hash-worker.ts, hash-thread-pool.ts) takes as much of the work as balances the two. Text is a chunk
 * per line, and hashing (a call per line) is most of it, while storing text has the most chunks to look up: the
 * thread cuts and hashes every piece. Binary chunks are 16 KiB on average and storing them is mostly copies;
 * hashing (1.1 GB/s here) costs more than cutting (1.7 GB/s): the thread cuts every piece and hashes every other
 * one, this thread the rest.
 */
import {on} from 'node:events'
import type {FileHandle} from 'node:fs/promises'
import type {FileKind} from '../chunk/file-kind.js'
import {type ReadPiece, hashPiece} from '../chunk/piece-hasher.js'
import {FileAccessError} from '../errors/index.js'
import {type HashJob, type WorkerReport, type WorkerRequest, layoutFor, sharedSlots, slotPiece} from './hash-slots.js'
import {releaseHashThread, takeHashThread} from './hash-thread-pool.js'
import {piecesInThread} from './pieces-in-thread.js'

/** The pieces of `file`, from the hashing thread, or from piecesInThread while the thread is busy with another file. */
export async function* piecesInWorker(file: {path: string; handle: FileHandle; size: number}, kind: FileKind): AsyncGenerator<ReadPiece> {
  const worker = takeHashThread()
  if (!worker) {
    yield* piecesInThread(file, kind)
    return
  }
  let finished = false
  try {
    const layout = layoutFor(kind)
    const job: HashJob = {fd: file.handle.fd, size: file.size, kind, hashEvery: kind === 'text' ? 1 : 2, layout, shared: sharedSlots(layout)}
    const post = (request: WorkerRequest) => worker.postMessage(request)
    const reports = on(worker, 'message', {close: ['exit']}) as AsyncIterableIterator<[WorkerReport]>
    post({job})
    for await (const [report] of reports) {
      if ('error' in report) {
        const error = Object.assign(new Error(report.error.message), report.error)
        throw FileAccessError.from(file.path, error) ?? error
      }
      const piece = slotPiece(job.shared, layout, report.slot, report.count, report.hashed)
      if (!report.hashed) hashPiece(piece)
      if (report.eof) finished = true
      let released = report.eof
      const release = () => {
        if (!released) post({slot: report.slot})
        released = true
      }
      yield {piece, read: report.read, release}
      if (report.eof) return
      release()
    }
    throw new Error('the hashing thread stopped before the end of the file')
  } finally {
    // A thread stopped part-way may still be filling slots: it is not reused.
    await releaseHashThread(worker, finished)
  }
}
