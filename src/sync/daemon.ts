/**
 * The daemon's loop around a Syncer: keeps a folder and the server equal until stopped.
 *
 * - A file watcher (folder-watcher.ts) collects changed paths; after a short quiet time (debounce) a pass scans
 *   just those paths and sends what changed.
 * - A long-poll on the journal waits for other devices' changes; its answer (with small chunks inline) feeds a
 *   pass directly, so a remote edit lands without another round trip.
 * - A full rescan runs now and then, in case the watcher missed something; often (`unwatchedRescanMs`) when the
 *   OS refused to watch (inotify's limits): said once through `onWatchLimit` and kept in the state for status.
 * - While the server cannot be reached, a cheap probe asks every second or so whether it is back, and a pass runs
 *   as soon as it is; any other failure is retried with capped exponential backoff. The daemon never exits on
 *   its own. Local changes recorded meanwhile go out when the server is back. A pass that failed on damage in the
 *   folder's store repairs it first (store-repair.ts).
 * - Paused (`.sync/paused`, src/folder/pause.ts): no pass runs and the long-poll stops; the watcher keeps
 *   collecting, and resuming runs a full pass, so nothing done meanwhile is missed.
 * - Requests a command hands over (`sync restore`, src/folder/daemon-requests.ts) are carried out between two
 *   passes: a pass waits while one runs.
 * - What it is doing goes to `.sync/daemon-status.json` for `sync status` (daemon-status.ts).
 * - Big uploads and downloads run in the big lane (big-lane.ts), on a connection of their own: passes go on
 *   meanwhile, and a pass finishes each file once its chunks have moved.
 */
import {ClientTooOldError, type CorruptDataError, isSyncError, NetworkError} from '../errors/index.js'
import type {ChangesPage} from '../journal/journal-client.js'
import path from 'node:path'
import {answerOf, answerRequest, isRequestName, takeRequests} from '../folder/daemon-requests.js'
import {pausedSince} from '../folder/pause.js'
import {DEVICE_IGNORE} from '../scan/ignore-rules.js'
import {recordedClean} from '../scan/stat-cache.js'
import {logger} from '../util/logger.js'
import type {DaemonStatusFile} from './daemon-status.js'
import {ChangeBatch} from './change-batch.js'
import {StoreRepair} from './store-repair.js'
import {watchFile, watchFolder} from './folder-watcher.js'
import {carryOut} from './folder-requests.js'
import {INLINE_BYTES} from './pull.js'
import type {WatchLimit} from './watch-limit.js'
import type {PassSummary, Syncer} from './syncer.js'
import type {FolderGcReport} from './collect-folder.js'
import type {RepairReport} from './repair-folder.js'
import {DaemonGc, type GcCause, RETRY_FAILED_MS} from './daemon-gc.js'
import {Backoff} from './backoff.js'
import {coalescedPaths} from '../util/coalesced-paths.js'
import {BigLane, type LaneProgress} from './big-lane.js'

const log = logger('daemon')

export interface DaemonOptions {
  /** Quiet time after a file event before the pass starts. */
  debounceMs?: number
  /** Quiet time when a file was deleted (default 500 ms): see change-batch.ts. */
  deletionDebounceMs?: number
  /** Time between full rescans. */
  rescanMs?: number
  /** Time between full rescans when the OS will not watch the whole folder (default 10 s, or `rescanMs` if shorter). */
  unwatchedRescanMs?: number
  onWatchLimit?: (limit: WatchLimit, rescanMs: number) => void
  /** How long one long-poll waits on the server. */
  waitSeconds?: number
  /** Backoff bounds after a failure. */
  minBackoffMs?: number
  maxBackoffMs?: number
  /**
   * While the server cannot be reached, how often to ask it whether it is back (default 1 s, ±25% so that many
   * devices do not knock in step): a health request, cheap for both. The backoff is for other failures.
   */
  probeMs?: number
  onPass?: (summary: PassSummary) => void
  /** A garbage collection the daemon ran between passes (daemon-gc.ts): asked for by `sync gc`, or on its own. */
  onGc?: (cause: GcCause, report: FolderGcReport) => void
  /** The least time between two looks at how much of the store is garbage (default 60 s: each look marks). */
  gcLookEveryMs?: number
  onError?: (error: Error, retryInMs: number) => void
  /**
   * The store was repaired after a pass failed on `damage` in it (store-repair.ts; that failure goes here, not to
   * onError); a pass follows at once when anything was dropped.
   */
  onRepair?: (report: RepairReport, damage: CorruptDataError) => void
  /** Told when the folder is paused (true) or resumed (false), also when it starts paused. */
  onPause?: (paused: boolean) => void
  /** Called once the folder is watched and its status file says so (commands then hand their passes to this daemon). */
  onWatching?: () => void
  /** Where it says what it is doing (started here, stopped when the daemon stops). */
  status?: DaemonStatusFile
  /** Told as a big transfer moves (each pack or group of chunks of the big lane). */
  onTransfer?: (progress: LaneProgress) => void
  /** Bytes to move past which a file goes to the big lane (default 4 MiB); 0: no big lane. */
  bigBytes?: number
  /** Aborting stops the daemon (SIGINT/SIGTERM in the command). */
  signal: AbortSignal
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, {once: true})
  })
}

export async function runDaemon(syncer: Syncer, options: DaemonOptions): Promise<void> {
  const {signal, status} = options
  const {root, layout} = syncer.folder
  const backoffMs = {minMs: options.minBackoffMs ?? 500, maxMs: options.maxBackoffMs ?? 30_000}
  const backoff = new Backoff(backoffMs.minMs, backoffMs.maxMs)
  let retryTimer: NodeJS.Timeout | undefined
  let needFullPass = true

  // Paused: passes return at once (asking for a full pass later); `resumed` wakes the long-poll loop.
  let paused = (await pausedSince(layout)) !== undefined
  let wake = () => {}
  /** Resolves when the folder is resumed, or the daemon stops. */
  const resumed = () =>
    new Promise<void>((resolve) => {
      wake = resolve
      signal.addEventListener('abort', () => resolve(), {once: true})
    })
  const checkPause = async () => {
    const now = (await pausedSince(layout).catch(() => undefined)) !== undefined
    if (now === paused || signal.aborted) return
    paused = now
    log(paused ? 'paused' : 'resumed')
    options.onPause?.(paused)
    if (paused) {
      // Said once the pass in flight (if any) is over: from then on nothing syncs.
      await serving
      await syncer.idle()
      if (paused) status?.set('paused')
    } else {
      // Whatever happened meanwhile, here or on the server, is found by a full pass.
      needFullPass = true
      wake()
      void runPass()
    }
  }

  // Requests from commands, carried out one after another with no pass of the daemon's own in between.
  let serving: Promise<void> | undefined
  const serve = (): Promise<void> =>
    (serving ??= (async () => {
      let carried = false
      try {
        await syncer.idle()
        for (let taken = await takeRequests(layout.syncDir); taken.length > 0; taken = await takeRequests(layout.syncDir))
          for (const {id, request} of taken) {
            log('carrying out a request: %j', request)
            carried = true
            const answer = await carryOut(syncer, request).then((result) => ({result}), answerOf)
            await answerRequest(layout.syncDir, id, answer)
          }
      } catch (error) {
        log('requests: %s', (error as Error).message)
      } finally {
        serving = undefined
        if (carried) status?.set(paused ? 'paused' : 'idle')
      }
    })())

  const gc = new DaemonGc(syncer, (cause, report) => options.onGc?.(cause, report), options.gcLookEveryMs)
  const repair = new StoreRepair(syncer, (report, damage) => options.onRepair?.(report, damage))
  const lane =
    options.bigBytes === 0
      ? undefined
      : new BigLane({
          client: syncer.client.sibling(),
          store: syncer.folder.store,
          // A pass over nothing new: it plans the transfer's path again, and finds its chunks in place.
          onReady: () => void runPass([]),
          onProgress: options.onTransfer,
          // A big upload reads its chunks from the store: damage there is repaired as a pass's is.
          onError: (error, wait) => (repair.wants(error) ? void repairThenPass(error) : options.onError?.(error, wait)),
          retry: backoffMs,
          bigBytes: options.bigBytes,
        })
  syncer.lane = lane
  /** After a pass or a big upload failed on damage in the store: the store repaired (the big lane quiet), and a pass at once. */
  const repairThenPass = async (error: Error) => {
    const again = await (lane ? lane.quiet(() => repair.after(error)) : repair.after(error)).catch((failed: Error) => {
      log('repair failed: %s', failed.message)
      options.onError?.(failed, retryWait)
      return false
    })
    if (again && !signal.aborted) retryLater(0)
  }
  /** Between passes (after one, failed or not: collecting needs no server), never during one nor a big download's step. */
  const collect = () =>
    (lane ? lane.quiet(() => gc.betweenPasses()) : gc.betweenPasses()).catch((error: Error) => {
      log('garbage collection failed: %s', error.message)
      options.onError?.(error, RETRY_FAILED_MS)
    })
  const runPass = async (paths?: readonly string[], page?: ChangesPage): Promise<boolean> => {
    const passed = await passOnce(paths, page)
    // Collecting is this device's own upkeep, not syncing: a paused daemon still does it (and answers `sync gc`).
    if (!signal.aborted) await collect()
    return passed
  }
  /** How long the pass that just failed waits for its retry: the long-poll waits as long (else it spun on the same page). */
  let retryWait = 0
  const passOnce = async (paths?: readonly string[], page?: ChangesPage): Promise<boolean> => {
    retryWait = 0
    if (serving) await serving
    if (paused) {
      needFullPass = true
      return false
    }
    try {
      // A file event's pass skips reading the journal: the long-poll below is already reading it.
      const scope = needFullPass ? {page} : {paths, page, pull: page !== undefined}
      const summary = await syncer.pass({...scope, deletionsOf: 'paths'})
      needFullPass = false
      // Deletions a scan found, not the watcher: they wait for the folder to be quiet, with the watcher's own.
      if (summary.deferred.length > 0) changed(summary.deferred)
      status?.set(paused ? 'paused' : 'idle')
      options.onPass?.(summary)
      if (summary.diskFull) {
        // Sent, but what could not be written here waits for room: look again, less and less often.
        retryLater()
        return true
      }
      backoff.reset()
      repair.passed()
      await syncer.state.setLastError(undefined)
      return true
    } catch (error) {
      if (signal.aborted) return false
      needFullPass = true
      const unreachable = error instanceof NetworkError
      const wait = unreachable ? probeMs : backoff.next()
      const err = error as Error
      log('pass failed: %s', err.message)
      status?.set(unreachable ? 'offline' : 'idle')
      const repairing = !unreachable && repair.wants(err)
      if (!repairing) options.onError?.(err, wait)
      retryWait = wait
      await syncer.state.setLastError({message: err.message, code: isSyncError(err) ? err.code : undefined, time: Date.now()}).catch(() => {})
      if (unreachable) void serverBack().then(() => runPass())
      else retryLater(wait)
      if (repairing) void repairThenPass(err)
      return false
    }
  }
  const probeMs = options.probeMs ?? 1000
  let probing: Promise<void> | undefined
  /** Resolves once the server answers a health request again (or the daemon stops). One probe loop at a time. */
  const serverBack = (): Promise<void> =>
    (probing ??= (async () => {
      try {
        while (!signal.aborted) {
          await sleep(probeMs * (0.75 + Math.random() / 2), signal)
          if (
            await syncer.client.health().then(
              () => true,
              () => false,
            )
          )
            return
        }
      } finally {
        probing = undefined
      }
    })())
  const retryLater = (wait = backoff.next()) => {
    clearTimeout(retryTimer)
    retryTimer = setTimeout(() => void runPass(), wait)
  }

  // Batches that come while the pass of one before them waits or runs share one pass after it.
  const batchPass = coalescedPaths((paths) => runPass(paths))
  // File events → a pass over the changed paths, after a quiet time (or as soon as the writes look done).
  const batch = new ChangeBatch(root, {
    debounceMs: options.debounceMs ?? 20,
    deletionDebounceMs: options.deletionDebounceMs ?? 500,
    onBatch: (paths) => void batchPass(paths),
    // Its own downloads come back as events: a pass over each would only find it as recorded.
    asRecorded: (relative, stat) => recordedClean(syncer.state.get(relative), stat),
  })
  const changed = (paths: readonly string[]) => {
    if (!signal.aborted) batch.add(paths)
  }
  // A rescan also looks for requests, in case the watch on .sync/ missed one.
  const rescanNow = () => {
    void serve()
    void runPass()
  }
  const rescanMs = options.rescanMs ?? 60_000
  let rescan = setInterval(rescanNow, rescanMs)
  let limited = false
  await syncer.state.setWatchLimit(undefined)
  const onLimit = (limit: WatchLimit) => {
    if (limited || signal.aborted) return
    limited = true
    const every = Math.min(rescanMs, options.unwatchedRescanMs ?? 10_000)
    log('watch limit: %s', limit.message)
    clearInterval(rescan)
    rescan = setInterval(rescanNow, every)
    options.onWatchLimit?.(limit, every)
    void syncer.state.setWatchLimit({...limit, rescanMs: every, time: Date.now()}).catch(() => {})
  }
  // Filtered by the rules of the syncer's latest pass, which reloads them when .syncignore or .sync/ignore change.
  const watcher = await watchFolder(root, {ignores: (relative) => syncer.ignoreRules.ignores(relative)}, changed, onLimit)
  // `.sync/` is not watched (the database writes there): this device's rules file, and the decisions about held
  // deletions and the garbage collections that commands leave for a running daemon, get a watch of their own; so
  // do the pause and requests.
  const {syncDir, decisions, gcRequest} = layout
  const ownFiles = watchFile(syncDir, (name) => {
    if (name === path.basename(layout.paused)) void checkPause()
    else if (isRequestName(name)) void serve()
    else if ([DEVICE_IGNORE, decisions, gcRequest].some((file) => name === path.basename(file))) changed([])
  })

  status?.set(paused ? 'paused' : 'idle')
  // Written before the daemon says it is watching: a `sync once` from then on finds it and hands it the pass.
  await status?.start(layout.daemonStatus)
  options.onWatching?.()
  if (paused) options.onPause?.(true)
  try {
    await runPass()
    // Requests left before it started (their commands are waiting).
    await serve()
    // Remote changes: long-poll, and feed each answer to a pass. In a function of its own: a page held in the
    // loop's frame stayed alive through the next long-poll (V8 keeps a finished block's values in the suspended
    // function's registers), and a page's manifests can be a big file's whole id list (21 MB at 1 GB).
    const pollOnce = async () => {
      const page = await syncer.client.changes(syncer.state.cursor, {wait: options.waitSeconds ?? 30, inline: INLINE_BYTES, signal})
      // A page whose pass failed (a disk too full to record it, say) is read again by the pass's retry, not now.
      if (page.entries.length > 0 && !(await runPass([], page)) && retryWait > 0) await sleep(retryWait, signal)
    }
    while (!signal.aborted) {
      if (paused) {
        await resumed()
        continue
      }
      try {
        await pollOnce()
      } catch (error) {
        if (signal.aborted) break
        if (error instanceof ClientTooOldError) {
          // Nothing newer can be read until this client is updated: said once (the syncer's notice), asked again now and then.
          syncer.refusedAsTooOld(error)
          await sleep(backoff.next(), signal)
          continue
        }
        const unreachable = error instanceof NetworkError
        const wait = unreachable ? probeMs : backoff.next()
        options.onError?.(error as Error, wait)
        await (unreachable ? serverBack() : sleep(wait, signal))
        needFullPass = true
      }
    }
  } finally {
    clearInterval(rescan)
    batch.cancel()
    clearTimeout(retryTimer)
    ownFiles.close()
    await watcher.close()
    if (limited) await syncer.state.setWatchLimit(undefined).catch(() => {})
    await lane?.close()
    // Let a pass (or a request) in flight finish: a clean stop never cuts one half-way.
    await serving
    await syncer.idle()
    if (syncer.lane === lane) syncer.lane = undefined
    await status?.stop()
  }
}
