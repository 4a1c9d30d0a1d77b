/**
 * The big lane: transfers of many bytes (a file with more than `bigBytes` of chunks to move) run here, beside the
 * passes and on a connection of their own, so that a small edit in either direction never waits behind them.
 *
 * A pass leaves such an upload or download to the lane (`deferred`); it stays planned. The lane moves only the
 * chunks: committing (compare-and-set against the base) and writing the file (after the local-change check) stay
 * with a pass, which the lane asks for (`onReady`) once the chunks are in place; that pass has nothing left to move.
 * - Up: the chunks the commit introduces, in small packs, each durable on the server when answered: an
 *   interrupted upload resumes by asking the server which are missing (chunks under 1 KiB are sent rather than
 *   asked about, as push does).
 * - Down: the chunks the store lacks, in groups, each flushed to the store: an interrupted download resumes from
 *   the store's chunks.
 * A newer version of a path (edited here, or changed again elsewhere) supersedes its transfer: the old one stops
 * after its pack in flight; the new one asks the server, which names what it still lacks.
 * Memory stays bounded by the step, not the file: ids are walked in windows of the file's binary id list (a 1 GB
 * text file has 670,000 chunks; a hex string and a set entry for each cost over 100 MB per copy), and what the
 * lane sent is remembered per version (`delivered`), not per chunk: its pass commits without asking again.
 * A failed transfer is tried again after a wait that doubles up to a cap, once the server answers a health request
 * (the lane asks it, not a pass: a pass against a server that is down would fail and say so every time). Failures
 * are reported once until a transfer succeeds again: an outage is one line in the daemon's log, not one per retry.
 */
import type {IdList} from '../chunk/id-list.js'
import {IdSet} from '../chunk/id-set.js'
import type {JournalClient} from '../journal/journal-client.js'
import {sameContent, type Manifest} from '../manifest/manifest.js'
import type {Action} from '../plan/action.js'
import type {FolderState} from '../state/folder-state.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {logger} from '../util/logger.js'
import {Backoff} from './backoff.js'
import {chunksToSend, uploadMissing} from './push.js'

const log = logger('lane')

/** Bytes to move past which a file goes to the big lane. */
export const BIG_BYTES = 4 * 1024 * 1024
/** Bytes per pack (up) or group of chunks (down): the step an interrupted transfer resumes from. */
const STEP_BYTES = 1024 * 1024
/** Ids taken from a file's list at a time (as hex strings: a few MB). */
const WINDOW_IDS = 16_384

export type Transfer = Extract<Action, {type: 'upload' | 'download'}>

export interface LaneProgress {
  direction: 'up' | 'down'
  path: string
  /** Bytes moved so far and to move in all (down: estimated from the file's size). */
  done: number
  total: number
}

export interface BigLaneOptions {
  /** The lane's own client (JournalClient.sibling()): closed with the lane. */
  client: JournalClient
  store: ChunkStore
  /** A transfer is done (or failed and may be tried again): a pass finishes it. */
  onReady: () => void
  onProgress?: (progress: LaneProgress) => void
  /** A transfer failed: said once until one succeeds again. The error names the file. */
  onError?: (error: Error, retryInMs: number) => void
  bigBytes?: number
  /** After a transfer failed, the first wait before it is tried again, and the longest (the wait doubles). */
  retry: {minMs: number; maxMs: number}
}

interface Job {
  direction: 'up' | 'down'
  version: Manifest
  stopped: boolean
  done: boolean
  running?: Promise<void>
}

/** Thrown inside a superseded transfer to end it after its pack in flight. */
class Stopped extends Error {}

export class BigLane {
  /** The versions (by path) whose chunks the lane sent, each until the pass after it has committed it. */
  readonly delivered = new Map<string, Manifest>()
  private readonly jobs = new Map<string, Job>()
  /** While set, downloads wait before their next group (the device's garbage collection runs). */
  private gate?: Promise<void>
  private readonly steps = new Set<Promise<unknown>>()
  private closed = false
  private readonly bigBytes: number
  private readonly backoff: Backoff
  /** A failure was reported and no transfer succeeded since. */
  private failing = false
  private retrying?: Promise<void>
  private retryTimer?: NodeJS.Timeout
  private wake = () => {}

  constructor(private readonly options: BigLaneOptions) {
    this.bigBytes = options.bigBytes ?? BIG_BYTES
    this.backoff = new Backoff(options.retry.minMs, options.retry.maxMs)
  }

  /** The paths of `actions` the lane is moving (the pass leaves them planned); starts the transfers not yet started. */
  async deferred(actions: readonly Action[], state: FolderState): Promise<Set<string>> {
    // A transfer done whose path this pass no longer plans to move was committed (or written) by the pass before.
    const planned = new Set(actions.flatMap((action) => (action.type === 'upload' || action.type === 'download' ? [action.path] : [])))
    for (const [path, job] of this.jobs) if (job.done && !planned.has(path)) this.stop(path)
    const moving = new Set<string>()
    for (const action of actions) {
      if (action.type === 'upload' || action.type === 'download') {
        if (await this.defer(action, state)) moving.add(action.path)
      } else this.stop(action.path) // anything else planned for the path (deleted here, a merge) supersedes its transfer
    }
    return moving
  }

  private async defer(action: Transfer, state: FolderState): Promise<boolean> {
    const manifest = action.type === 'upload' ? action.manifest : action.remote.manifest
    if (manifest.kind !== 'file' || manifest.size < this.bigBytes) return false
    // A closed lane (the daemon stopping) keeps its transfers for the next start.
    if (this.closed) return true
    const job = this.jobs.get(action.path)
    // Done: its chunks are in place, and this pass commits (or writes) it.
    if (job && sameContent(job.version, manifest)) return !job.done
    this.stop(action.path)
    const {store} = this.options
    let lists: IdList[] = []
    let bytes = 0
    if (action.type === 'upload') {
      lists = await chunksToSend(action, state, store, this.options.client.sealed)
      for (const ids of lists) for (let i = 0; i < ids.length; i++) bytes += store.chunkLength(ids.hexAt(i)) ?? 0
    } else {
      const {ids} = manifest
      let missing = 0
      for (let i = 0; i < ids.length; i++) if (!store.has(ids.hexAt(i))) missing++
      bytes = Math.round((manifest.size * missing) / Math.max(1, ids.length))
    }
    if (bytes < this.bigBytes) return false
    const started: Job = {direction: action.type === 'upload' ? 'up' : 'down', version: manifest, stopped: false, done: false}
    this.jobs.set(action.path, started)
    const progress: LaneProgress = {direction: action.type === 'upload' ? 'up' : 'down', path: action.path, done: 0, total: bytes}
    log('%s %s: %d bytes in the big lane', progress.direction, action.path, bytes)
    const work = action.type === 'upload' ? this.upload(lists, started, progress) : this.download(started, progress, manifest)
    started.running = work.then(
      () => this.finished(started, action.path),
      (error: Error) => this.finished(started, action.path, error),
    )
    return true
  }

  private stop(path: string): void {
    const job = this.jobs.get(path)
    if (job) job.stopped = true
    this.jobs.delete(path)
    this.delivered.delete(path)
  }

  private async upload(lists: IdList[], job: Job, progress: LaneProgress): Promise<void> {
    const {client, store} = this.options
    for (const ids of lists)
      for (let from = 0; from < ids.length; from += WINDOW_IDS) {
        await uploadMissing(ids.hexRange(from, from + WINDOW_IDS), client, store, new IdSet(), {
          packBytes: STEP_BYTES,
          onSent: (_, bytes) => {
            this.options.onProgress?.({...progress, done: (progress.done += bytes)})
            if (job.stopped || this.closed) throw new Stopped()
          },
        })
      }
  }

  private async download(job: Job, progress: LaneProgress, manifest: Manifest): Promise<void> {
    if (manifest.kind !== 'file') return
    const {client, store} = this.options
    const {ids} = manifest
    const perChunk = manifest.size / Math.max(1, ids.length)
    const perStep = Math.max(1, Math.floor(STEP_BYTES / Math.max(1, perChunk)))
    let fetched = 0
    for (let from = 0; from < ids.length; from += WINDOW_IDS) {
      const missing = store.missing(ids.hexRange(from, from + WINDOW_IDS))
      for (let i = 0; i < missing.length; i += perStep) {
        await this.gate
        if (job.stopped || this.closed) throw new Stopped()
        const group = missing.slice(i, i + perStep)
        // Flushed when fetched: a restart resumes from the chunks the store holds.
        const step = client.fetch(store, group)
        this.steps.add(step)
        await step.finally(() => this.steps.delete(step))
        fetched += group.length
        progress.done = Math.min(progress.total, Math.round(fetched * perChunk))
        this.options.onProgress?.({...progress})
      }
    }
  }

  private finished(job: Job, path: string, error?: Error): void {
    job.done = true
    if (this.closed || error instanceof Stopped || job.stopped) return
    if (error) {
      log('%s: %s', path, error.message)
      this.jobs.delete(path)
      const wait = this.backoff.next()
      if (!this.failing) {
        this.failing = true
        error.message = `${path}: ${error.message}`
        this.options.onError?.(error, wait)
      }
      this.retryAfter(wait)
      return
    }
    this.backoff.reset()
    this.failing = false
    if (job.direction === 'up') this.delivered.set(path, job.version)
    this.options.onReady()
  }

  /** Hands the failed transfers back to a pass after `wait`, and once the server answers (one retry loop at a time). */
  private retryAfter(wait: number): void {
    this.retrying ??= (async () => {
      for (let ms = wait; ; ms = this.backoff.next()) {
        await new Promise<void>((resolve) => {
          this.wake = resolve
          this.retryTimer = setTimeout(resolve, ms)
        })
        if (this.closed) return
        const answered = await this.options.client.health().then(
          () => true,
          () => false,
        )
        if (this.closed) return
        if (answered) break
        log('the server does not answer; trying again in a while')
      }
      this.retrying = undefined
      this.options.onReady()
    })()
  }

  /** Runs `work` with no download writing to the store meanwhile (garbage collection): they wait after their group in flight. */
  async quiet<T>(work: () => Promise<T>): Promise<T> {
    let open = () => {}
    const gate = new Promise<void>((resolve) => (open = resolve))
    const before = this.gate
    this.gate = gate
    try {
      await before
      await Promise.allSettled([...this.steps])
      return await work()
    } finally {
      if (this.gate === gate) this.gate = undefined
      open()
    }
  }

  /** Stops every transfer (what was moved stays: the next start resumes) and closes the lane's connection. */
  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.retryTimer)
    this.wake()
    for (const job of this.jobs.values()) job.stopped = true
    this.options.client.close()
    await Promise.allSettled([...this.jobs.values()].map((job) => job.running))
  }
}
