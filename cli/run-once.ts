/**
 * `sync once`: one pass, its events one line each, a summary or why the folder is not in sync yet (exit 11); then
 * one for each mount of the folder (`sync mount`), its lines prefixed with its path.
 * Shared by the oclif command and the fast path (fast-path.ts), which runs it without loading oclif.
 */
import type {SyncEvent} from '#src/sync/sync-event.js'
import {isHeldDeletion, passReport, type PassReport} from '#src/sync/pass-report.js'
import {describeEvent} from './describe-event.js'
import {shownPath} from '#src/util/shown-path.js'
import {type ClientNotice, describeNotice} from '#src/sync/client-notice.js'
import {EXIT, exitCodeFor, FolderBusyError, isSyncError} from '#src/errors/index.js'
import {askDaemon} from '#src/folder/daemon-requests.js'
import {daemonSyncing} from '#src/sync/daemon-status.js'
import {readConfig} from '#src/folder/config.js'
import {mountDir} from '#src/folder/mount-target.js'
import {progressBar} from './progress-bar.js'
import {describeRepairAfter, repairFields} from './describe-repair.js'
import {inSyncAlready} from './in-sync-already.js'
import {findRoot} from '#src/folder/find-root.js'
import {folderLayout} from '#src/folder/layout.js'
import {refuseIfPaused} from '#src/folder/pause.js'
import type {RateFlags} from '#src/folder/bandwidth-settings.js'

export interface OnceResult extends PassReport {
  /** The pass of each mount, or why it could not run. */
  mounts?: MountOnce[]
  /** The pid of the daemon that carried the pass out (it syncs the folder), when one did. */
  handedTo?: number
  /** The first pass failed on damage in the folder's store, which was repaired (src/sync/pass-repairing.ts). */
  repaired?: Record<string, unknown>
}

export type MountOnce = {path: string} & (OnceResult | {error: {code: string; message: string}})

type OnceOptions = {
  json: boolean
  log: (line: string) => void
  force?: boolean
  rates?: RateFlags
  /** How long to wait for a daemon syncing the folder to carry the pass out (default 300 s). */
  waitMs?: number
}

export async function runOnce(startDir: string, options: OnceOptions): Promise<OnceResult> {
  const result = await onceFolder(startDir, options)
  const root = await findRoot(startDir)
  const {mounts} = await readConfig(folderLayout(root).config)
  if (!mounts?.length) return result
  result.mounts = []
  for (const {path} of mounts) {
    const log = (line: string) => options.log(`${path}: ${line}`)
    try {
      result.mounts.push({path, ...(await onceFolder(await mountDir(root, path), {...options, log}))})
    } catch (error) {
      if (!isSyncError(error)) throw error
      // One mount that cannot sync (its server down, say) does not stop the others.
      process.exitCode = process.exitCode || exitCodeFor(error.code)
      if (!options.json) process.stderr.write(`error: mount ${path}: ${error.message}\n`)
      result.mounts.push({path, error: {code: error.code, message: error.message}})
    }
  }
  return result
}

async function onceFolder(startDir: string, options: OnceOptions): Promise<OnceResult> {
  const layout = folderLayout(await findRoot(startDir))
  // A paused folder is not synced (exit 18), unless forced.
  if (!options.force) await refuseIfPaused(layout)
  for (;;) {
    // A daemon syncs the folder: it runs the pass (between two of its own) and says how it went. Asked before
    // anything here opens the folder's database, which the daemon may be writing.
    const daemon = await daemonSyncing(layout)
    if (daemon !== undefined) {
      const answer = await askDaemon(layout, {type: 'pass'}, {pid: daemon, timeoutMs: options.waitMs ?? DEFAULT_WAIT_MS})
      // It stopped before taking it: run here after all.
      if (answer === 'gone') continue
      return report({...(answer.result as PassReport), handedTo: daemon}, options)
    }
    try {
      return report(await passHere(startDir, options), options)
    } catch (error) {
      // A daemon that started meanwhile (its lock says so): asked as above. Another `sync once` does not take
      // requests: refused.
      if (error instanceof FolderBusyError && (await daemonSyncing(layout)) === error.pid) continue
      throw error
    }
  }
}

const DEFAULT_WAIT_MS = 300_000

async function passHere(startDir: string, options: OnceOptions): Promise<PassReport> {
  const {json, log} = options
  const head = await inSyncAlready(startDir)
  if (head !== undefined)
    return {inSync: true, uploaded: 0, downloaded: 0, deleted: 0, moved: 0, merged: 0, conflicts: [], pending: [], held: [], unreadable: [], blocked: [], head}
  // The pass's modules (LMDB, the store, the syncer) load only now.
  const [{withSyncer}, {passRepairing}] = await Promise.all([import('#src/sync/with-syncer.js'), import('#src/sync/pass-repairing.js')])
  const bar = json ? undefined : await progressBar()
  const hooks = {
    rates: options.rates,
    ...(json
      ? {}
      : {
          onEvent: (event: SyncEvent) => log(describeEvent(event)),
          onProgress: bar?.update,
          onTransfer: bar?.transfer,
          onNotice: (notice: ClientNotice) => log(describeNotice(notice)),
        }),
  }
  let repaired: Record<string, unknown> | undefined
  const summary = await withSyncer(startDir, hooks, async (syncer) => {
    // A pass that sends reads the journal only if its commits say something came in first (fewer bytes, one request less).
    const passed = await passRepairing(syncer, {pull: 'unless-sending'}, (report, damage) => {
      repaired = repairFields(report, damage)
      if (!json) log(describeRepairAfter(report, damage))
    })
    // Received what it could, but may not send: exit 19 with the command that updates this client.
    if (syncer.outdated) throw syncer.outdated
    return passed
  }).finally(() => bar?.stop())
  return {...passReport(summary), ...(repaired ? {repaired} : {})}
}

/** The summary line, or why the folder is not in sync yet (exit 11). */
function report(result: OnceResult, {json, log}: {json: boolean; log: (line: string) => void}): OnceResult {
  const by = result.handedTo === undefined ? '' : ` (by the daemon syncing this folder, pid ${result.handedTo})`
  const deletions = result.held.filter(isHeldDeletion)
  if (deletions.length > 0) {
    process.exitCode = EXIT.deletionsHeld
    if (!json)
      process.stderr.write(
        `error: holding ${deletions.length} deletions (the delete guard): 'sync status' lists them; 'sync approve-deletes' lets them through, 'sync restore --held' brings the files back\n`,
      )
    return result
  }
  if (result.inSync) {
    const kept = result.held.length > 0 ? `; ${result.held.length} local changes kept here (the token is read-only)` : ''
    log(
      `in sync at jid ${result.head}: ${result.uploaded} sent, ${result.downloaded} received, ${result.deleted} deleted, ${result.moved} moved, ${result.merged} merged, ${result.conflicts.length} conflicts${kept}${by}`,
    )
  } else {
    process.exitCode = EXIT.notInSync
    const reasons = [
      ...result.pending.map((p) => `${shownPath(p.path)} (${p.type} pending)`),
      ...result.unreadable.map((p) => `${shownPath(p)} (unreadable)`),
      ...result.blocked.map((p) => `${shownPath(p.path)} (${p.reason})`),
    ]
    if (!json) process.stderr.write(`error: not in sync yet: ${reasons.slice(0, 5).join(', ')}${reasons.length > 5 ? ` and ${reasons.length - 5} more` : ''}\n`)
  }
  return result
}
