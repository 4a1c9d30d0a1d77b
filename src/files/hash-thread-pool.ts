/**
 * The hashing thread (hash-worker.ts): one at a time, kept for the next file and stopped after a few idle
 * seconds. Starting one costs about 40 ms, so a caller that knows a big file is coming starts it early
 * (`warmUpForBigFiles`, which the CLI calls before it loads the store). This module loads little for that reason.
 */
import {stat} from 'node:fs/promises'
import type {Worker} from 'node:worker_threads'
import {startWorker} from '../util/start-worker.js'

/** Files this large are hashed in a worker thread: below, starting one costs more than it saves. */
export const HASH_THREAD_MIN_BYTES = 8 * 1024 * 1024
const IDLE_MS = 3000
/** Its young generation stays small: it makes short-lived garbage (a view and an id per line) and keeps little. */
const YOUNG_GENERATION_MB = 3

let idle: {worker: Worker; timer: NodeJS.Timeout} | undefined
let busy = false

/** Starts the hashing thread when one of `files` is big enough to use it, so that it is ready when that file comes. */
export async function warmUpForBigFiles(files: readonly string[]): Promise<void> {
  // A file that cannot be read is reported when it is hashified.
  const sizes = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (info) => info.size,
        () => 0,
      ),
    ),
  )
  if (sizes.some((size) => size >= HASH_THREAD_MIN_BYTES) && !idle && !busy) keep(start())
}

/**
 * The thread, started if need be, for one file; give it back with `releaseHashThread`. Undefined while it hashes
 * another file (the scanner hashes several at once): that one is hashed on the caller's thread.
 */
export function takeHashThread(): Worker | undefined {
  if (busy) return undefined
  busy = true
  if (!idle) return start()
  const {worker, timer} = idle
  idle = undefined
  clearTimeout(timer)
  worker.ref()
  return worker
}

/** Gives the thread back: kept for the next file when it finished this one, else (stopped part-way) stopped. */
export async function releaseHashThread(worker: Worker, finished: boolean): Promise<void> {
  busy = false
  if (finished) keep(worker)
  else await worker.terminate()
}

function start(): Worker {
  return startWorker(import.meta.url, 'hash-worker', {resourceLimits: {maxYoungGenerationSizeMb: YOUNG_GENERATION_MB}})
}

/** Keeps an idle thread for the next file, without holding the process open; stopped after IDLE_MS. */
function keep(worker: Worker): void {
  worker.unref()
  worker.once('exit', () => {
    if (idle?.worker !== worker) return
    clearTimeout(idle.timer)
    idle = undefined
  })
  const timer = setTimeout(() => {
    if (idle?.worker === worker) idle = undefined
    void worker.terminate()
  }, IDLE_MS)
  timer.unref()
  idle = {worker, timer}
}
