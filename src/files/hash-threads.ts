/**
 * A big file's pieces, read, cut and hashed beside the caller, which stores the pieces before: the hashing
 * thread (hash-worker.ts, hash-thread-pool.ts) takes as much of the work as balances the two. Text is a chunk
 * per line, and hashing (a call per line) is most of it, while storing text has the most chunks to look up: the
 * thread cuts and hashes every piece. Binary chunks are 16 KiB on average and storing them is mostly copies;
 * hashing (1.1 GB/s here) costs more than cutting (1.7 GB/s): the thread cuts every piece and hashes every other
 * one, this thread the rest.
 *
 * A caller about to open its store (the CLI, 40 ms) may start a file early (`hashAhead`): the thread fills its
 * slots meanwhile, and `piecesInWorker` takes them over when asked for the same file, unchanged.
 */
import {on} from 'node:events'
import {type FileHandle, open} from 'node:fs/promises'
import type {Worker} from 'node:worker_threads'
import {type FileKind, kindByName} from '../chunk/file-kind.js'
import {type ReadPiece, hashPiece} from '../chunk/piece-hasher.js'
import {FileAccessError} from '../errors/index.js'
import {type HashJob, type WorkerReport, layoutFor, sharedSlots, slotPiece} from './hash-slots.js'
import {HASH_THREAD_MIN_BYTES, releaseHashThread, takeHashThread} from './hash-thread-pool.js'
import type {OpenFile} from './open-file.js'
import {piecesInThread} from './pieces-in-thread.js'

interface Running {
  worker: Worker
  job: HashJob
  reports: AsyncIterableIterator<[WorkerReport]>
}

interface Ahead extends Running {
  path: string
  handle: FileHandle
  mtimeNs: bigint
  ctimeNs: bigint
}

let ahead: Ahead | undefined

/**
 * Starts hashing the file at `filePath` in the hashing thread, if it is big enough and its name tells its kind,
 * for a `piecesInWorker` call to come. Never fails: a file that cannot be read is reported when it is hashified.
 */
export async function hashAhead(filePath: string): Promise<void> {
  const kind = kindByName(filePath)
  if (ahead || !kind) return
  const handle = await open(filePath, 'r').catch(() => undefined)
  if (!handle) return
  const info = await handle.stat({bigint: true}).catch(() => undefined)
  const worker = info?.isFile() && info.size >= HASH_THREAD_MIN_BYTES ? takeHashThread() : undefined
  if (!info || !worker) {
    await handle.close()
    return
  }
  const {mtimeNs, ctimeNs} = info
  ahead = {path: filePath, handle, mtimeNs, ctimeNs, ...start(worker, handle.fd, Number(info.size), kind)}
  // Until taken over, it does not hold the process open (a caller that fails first exits as it would).
  worker.unref()
}

/** Stops the work `hashAhead` started, unless `piecesInWorker` took it over. */
export async function stopHashingAhead(): Promise<void> {
  const early = ahead
  ahead = undefined
  if (!early) return
  await early.reports.return?.()
  await releaseHashThread(early.worker, false)
  await early.handle.close()
}

/** The pieces of `file`, from the hashing thread, or from piecesInThread while the thread is busy with another file. */
export async function* piecesInWorker(file: OpenFile, kind: FileKind): AsyncGenerator<ReadPiece> {
  const early = await adoptAhead(file, kind)
  const worker = early?.worker ?? takeHashThread()
  if (!worker) {
    yield* piecesInThread(file, kind)
    return
  }
  const {job, reports} = early ?? start(worker, file.fd, file.size, kind)
  let finished = false
  try {
    for await (const [report] of reports) {
      if ('error' in report) {
        const error = Object.assign(new Error(report.error.message), report.error)
        throw FileAccessError.from(file.path, error) ?? error
      }
      const piece = slotPiece(job.shared, job.layout, report.slot, report.count, report.hashed)
      if (!report.hashed) hashPiece(piece)
      if (report.eof) finished = true
      let released = report.eof
      const release = () => {
        if (!released) worker.postMessage({slot: report.slot})
        released = true
      }
      yield {piece, read: report.read, release}
      if (report.eof) return
      release()
    }
    throw new FileAccessError(file.path, 'changed', {cause: new Error('the hashing thread stopped before the end of the file')})
  } finally {
    // A thread stopped part-way may still be filling slots: it is not reused.
    await releaseHashThread(worker, finished)
    await early?.handle.close()
  }
}

function start(worker: Worker, fd: number, size: number, kind: FileKind): Running {
  const layout = layoutFor(kind)
  const job: HashJob = {fd, size, kind, hashEvery: kind === 'text' ? 1 : 2, layout, shared: sharedSlots(layout)}
  // Listening before the job is posted: no report is missed, and reports wait here until they are asked for.
  const reports = on(worker, 'message', {close: ['exit']}) as AsyncIterableIterator<[WorkerReport]>
  worker.postMessage({job})
  return {worker, job, reports}
}

/**
 * The file hashed ahead, if it is `file` as the caller opened it (same path, kind, size, mtime and ctime: the
 * check that it does not change while read); else that work is stopped and undefined.
 */
async function adoptAhead(file: OpenFile, kind: FileKind): Promise<Ahead | undefined> {
  const early = ahead
  if (!early) return undefined
  try {
    // Hashed ahead: another file, or this one before it changed.
    if (early.path !== file.path || early.job.kind !== kind) throw new FileAccessError(file.path, 'changed')
    file.check({size: BigInt(early.job.size), mtimeNs: early.mtimeNs, ctimeNs: early.ctimeNs})
  } catch {
    await stopHashingAhead()
    return undefined
  }
  ahead = undefined
  early.worker.ref()
  return early
}
