/**
 * Whether the OS will give this process an inotify instance. @parcel/watcher 2.6 hangs the whole process for good
 * when it cannot get one (its backend thread throws before it signals that it started, and the caller waits on
 * that signal; measured: a daemon whose user had used up fs.inotify.max_user_instances never printed a line
 * and ignored SIGTERM). So a worker thread, whose event loop gets an inotify instance of its own on its first
 * fs.watch, tries first; ending the worker gives the instance back for the watcher to take.
 */
import {Worker} from 'node:worker_threads'

const PROBE = `
const {watch} = require('node:fs')
const {parentPort, workerData} = require('node:worker_threads')
try {
  watch(workerData, {persistent: false}).close()
  parentPort.postMessage(null)
} catch (error) {
  parentPort.postMessage({code: error.code, message: error.message})
}
`

/** Resolves when an inotify instance could be made (or this is not Linux); rejects with the OS's error if not. */
export async function probeInotify(dir: string): Promise<void> {
  if (process.platform !== 'linux') return
  const worker = new Worker(PROBE, {eval: true, workerData: dir})
  try {
    const failure = await new Promise<{code?: string; message: string} | null>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
    if (failure) throw Object.assign(new Error(failure.message), {code: failure.code})
  } finally {
    await worker.terminate()
  }
}
