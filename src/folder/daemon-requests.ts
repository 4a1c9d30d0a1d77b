/**
 * Work a command hands to the daemon that holds the folder (`sync restore` while it runs), and the daemon's
 * answer. The command writes `.sync/request-ID.json`; the daemon takes it between two passes (a rename: a
 * request is carried out once), carries it out and writes `.sync/answer-ID.json`, which the command reads and
 * removes. The command waits with a bound: when the daemon stops first, or does not take the request in time,
 * the command takes it back (a request not yet taken is simply removed) and says so.
 */
import {randomBytes} from 'node:crypto'
import {watch} from 'node:fs'
import {readdir, readFile, rename, stat, unlink} from 'node:fs/promises'
import path from 'node:path'
import {FolderBusyError, SyncError} from '../errors/index.js'
import {tempPathFor} from '../util/temp-path.js'
import {writeFileAtomic} from '../util/write-file-atomic.js'
import {folderHolder} from './folder-lock.js'
import type {FolderLayout} from './layout.js'

const REQUEST = /^request-([0-9a-f]{16})\.json$/
/** Answers nobody came for (the command was killed while waiting) are removed after this long. */
const STALE_ANSWER_MS = 60 * 60 * 1000

export type Answer = {result: unknown} | {error: {code: string; message: string; data?: Record<string, unknown>}}

/** The error the daemon met carrying out a request, with its code: the command exits as if it had met it. */
export class RelayedError extends SyncError {
  constructor(
    readonly code: string,
    message: string,
    data: Record<string, unknown> = {},
  ) {
    super(message, data)
  }
}

const requestFile = (syncDir: string, id: string) => path.join(syncDir, `request-${id}.json`)
const answerFile = (syncDir: string, id: string) => path.join(syncDir, `answer-${id}.json`)

/** Whether a name in `.sync/` is a request (the daemon watches for them). */
export const isRequestName = (name: string): boolean => REQUEST.test(name)

/** The requests waiting, each taken away from the folder (so carried out once). */
export async function takeRequests(syncDir: string): Promise<{id: string; request: unknown}[]> {
  const taken: {id: string; request: unknown}[] = []
  for (const name of await readdir(syncDir)) {
    const id = REQUEST.exec(name)?.[1]
    if (id === undefined) {
      if (name.startsWith('answer-')) await removeIfStale(path.join(syncDir, name))
      continue
    }
    const aside = tempPathFor(path.join(syncDir, name))
    if (
      !(await rename(path.join(syncDir, name), aside).then(
        () => true,
        () => false,
      ))
    )
      continue
    try {
      taken.push({id, request: JSON.parse(await readFile(aside, 'utf8'))})
    } catch (error) {
      await answerRequest(syncDir, id, {error: {code: 'E_INVALID_INPUT', message: `unreadable request: ${(error as Error).message}`}})
    } finally {
      await unlink(aside).catch(() => {})
    }
  }
  return taken
}

async function removeIfStale(file: string): Promise<void> {
  const info = await stat(file).catch(() => undefined)
  if (info && Date.now() - info.mtimeMs > STALE_ANSWER_MS) await unlink(file).catch(() => {})
}

export async function answerRequest(syncDir: string, id: string, answer: Answer): Promise<void> {
  await writeFileAtomic(answerFile(syncDir, id), `${JSON.stringify(answer)}\n`, {durable: false})
}

/** The error as an answer carries it. */
export function answerOf(error: unknown): Answer {
  if (error instanceof SyncError) return {error: error.toJSON()}
  return {error: {code: 'E_UNEXPECTED', message: (error as Error).message}}
}

export interface AskOptions {
  /** The pid of the process holding the folder. */
  pid: number
  timeoutMs: number
  pollMs?: number
}

/**
 * Hands `request` to the process holding the folder and waits for its answer: the result, or its error thrown
 * as a RelayedError. 'gone' when that process stopped before taking the request (the caller can run it itself).
 */
export async function askDaemon(layout: FolderLayout, request: unknown, options: AskOptions): Promise<{result: unknown} | 'gone'> {
  const {syncDir, root} = layout
  const id = randomBytes(8).toString('hex')
  await writeFileAtomic(requestFile(syncDir, id), `${JSON.stringify(request)}\n`, {durable: false})
  const deadline = Date.now() + options.timeoutMs
  // The answer is looked for as soon as something changes in .sync/ (the daemon's answer arriving), and every
  // pollMs anyway: a watch may miss an event, and the daemon may die without writing anything.
  let wake = () => {}
  const watcher = watch(syncDir, () => wake())
  watcher.on('error', () => {})
  try {
    return await waitForAnswer()
  } finally {
    watcher.close()
  }

  async function waitForAnswer(): Promise<{result: unknown} | 'gone'> {
    for (;;) {
      const answer = await readAnswer(syncDir, id)
      if (answer) {
        if ('error' in answer) throw new RelayedError(answer.error.code, answer.error.message, answer.error.data)
        return answer
      }
      const holder = await folderHolder(syncDir)
      const stopped = holder !== options.pid
      if (stopped || Date.now() > deadline) {
        const withdrawn = await unlink(requestFile(syncDir, id)).then(
          () => true,
          () => false,
        )
        // Taken meanwhile: its answer may just have come.
        const late = await readAnswer(syncDir, id)
        if (late) {
          if ('error' in late) throw new RelayedError(late.error.code, late.error.message, late.error.data)
          return late
        }
        if (stopped && withdrawn) return 'gone'
        const seconds = Math.round(options.timeoutMs / 1000)
        throw new FolderBusyError(
          root,
          options.pid,
          withdrawn
            ? `the sync process (pid ${options.pid}) syncing ${root} did not take this within ${seconds} s (a long pass?); nothing was done: run it again`
            : stopped
              ? `the sync process (pid ${options.pid}) stopped while carrying this out; run it again`
              : `the sync process (pid ${options.pid}) is still carrying this out after ${seconds} s; its log says when it is done`,
        )
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, options.pollMs ?? 200)
        function done() {
          clearTimeout(timer)
          resolve()
        }
        wake = done
      })
    }
  }
}

async function readAnswer(syncDir: string, id: string): Promise<Answer | undefined> {
  const file = answerFile(syncDir, id)
  let text
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return undefined
  }
  await unlink(file).catch(() => {})
  return JSON.parse(text) as Answer
}
