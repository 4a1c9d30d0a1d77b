/**
 * `sync gc` while a daemon holds the folder: the command leaves its request in `.sync/gc-request.json`; the daemon,
 * which watches the file, takes it away (a rename, so that it runs once), collects between two passes and leaves
 * the outcome in `.sync/gc-answer.json` under the request's id. The command waits for that answer as long as the
 * daemon lives; if the daemon stops first, the command finds the folder free and collects itself.
 */
import {randomUUID} from 'node:crypto'
import {readFile, unlink} from 'node:fs/promises'
import {InvalidInputError} from '../errors/index.js'
import type {FolderGcReport} from '../sync/collect-folder.js'
import {processAlive} from '../util/pid-lock.js'
import {takeFile} from '../util/take-file.js'
import {writeFileAtomic} from '../util/write-file-atomic.js'

export interface GcRequest {
  id: string
  dryRun: boolean
  graceSeconds: number
}

export interface GcAnswer {
  id: string
  report?: FolderGcReport
  /** Why the collection stopped (a typed error's code and message). */
  error?: {code: string; message: string}
}

const POLL_MS = 100

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Leaves a request for the daemon; returns it (with its id). */
export async function handGcRequest(file: string, options: Omit<GcRequest, 'id'>): Promise<GcRequest> {
  const request = {id: randomUUID(), ...options}
  await writeFileAtomic(file, `${JSON.stringify(request)}\n`)
  return request
}

/** Takes the request left for this process, if any (it is then gone from the folder). */
export async function takeGcRequest(file: string): Promise<GcRequest | undefined> {
  const text = await takeFile(file)
  if (text === undefined) return undefined
  const request = JSON.parse(text) as Partial<GcRequest>
  if (typeof request?.id !== 'string' || typeof request.dryRun !== 'boolean' || !Number.isSafeInteger(request.graceSeconds)) {
    throw new InvalidInputError(`${file} is not a garbage collection request`)
  }
  return request as GcRequest
}

export async function answerGcRequest(file: string, answer: GcAnswer): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(answer)}\n`)
}

/**
 * Waits for the answer to `request` from the daemon `pid`; undefined when the daemon stopped without answering
 * (its request, if still there, is taken back).
 */
export async function awaitGcAnswer(files: {gcRequest: string; gcAnswer: string}, request: GcRequest, pid: number): Promise<GcAnswer | undefined> {
  for (;;) {
    const answer = (await readJson(files.gcAnswer).catch(() => undefined)) as GcAnswer | undefined
    if (answer?.id === request.id) {
      await unlink(files.gcAnswer).catch(() => {})
      return answer
    }
    if (!processAlive(pid)) {
      await unlink(files.gcRequest).catch(() => {})
      return undefined
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}
