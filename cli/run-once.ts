/**
 * `sync once`: one pass, its events one line each, a summary or why the folder is not in sync yet (exit 11); then
 * one for each mount of the folder (`sync mount`), its lines prefixed with its path.
 * Shared by the oclif command and the fast path (fast-path.ts), which runs it without loading oclif.
 */
import type {SyncEvent} from '#src/sync/sync-event.js'
import type {PassCounts} from '#src/sync/syncer.js'
import {describeEvent} from './describe-event.js'
import {type ClientNotice, describeNotice} from '#src/sync/client-notice.js'
import {EXIT, exitCodeFor, isSyncError} from '#src/errors/index.js'
import {readConfig} from '#src/folder/config.js'
import {mountDir} from '#src/folder/mount-target.js'
import {progressBar} from './progress-bar.js'
import {inSyncAlready} from './in-sync-already.js'
import {findRoot} from '#src/folder/find-root.js'
import {folderLayout} from '#src/folder/layout.js'
import {refuseIfPaused} from '#src/folder/pause.js'
import type {RateFlags} from '#src/folder/bandwidth-settings.js'

export interface OnceResult extends PassCounts {
  inSync: boolean
  pending: {type: string; path: string}[]
  unreadable: string[]
  /** Changes held back on purpose: kept here (read-only token: not a failure), or deletions the delete guard holds (exit 15). */
  held: {type: string; path: string; why: string; from?: string}[]
  /** Paths that cannot be synced (a name the protocol refuses, a link or a file in the way here, no space...). */
  blocked: {path: string; reason: string}[]
  head: number
  /** The pass of each mount, or why it could not run. */
  mounts?: MountOnce[]
}

export type MountOnce = {path: string} & (OnceResult | {error: {code: string; message: string}})

type OnceOptions = {json: boolean; log: (line: string) => void; force?: boolean; rates?: RateFlags}

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
  const {json, log} = options
  // A paused folder is not synced (exit 18), unless forced.
  if (!options.force) await refuseIfPaused(folderLayout(await findRoot(startDir)))
  const head = await inSyncAlready(startDir)
  if (head !== undefined)
    return report(
      {inSync: true, uploaded: 0, downloaded: 0, deleted: 0, moved: 0, merged: 0, conflicts: [], pending: [], held: [], unreadable: [], blocked: [], head},
      options,
    )
  // The pass's modules (LMDB, the store, the syncer) load only now.
  const {withSyncer} = await import('#src/sync/with-syncer.js')
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
  const summary = await withSyncer(startDir, hooks, async (syncer) => {
    // A pass that sends reads the journal only if its commits say something came in first (fewer bytes, one request less).
    const passed = await syncer.pass({pull: 'unless-sending'})
    // Received what it could, but may not send: exit 19 with the command that updates this client.
    if (syncer.outdated) throw syncer.outdated
    return passed
  }).finally(() => bar?.stop())
  const {uploaded, downloaded, deleted, moved, merged, conflicts} = summary
  const result: OnceResult = {
    inSync: false,
    uploaded,
    downloaded,
    deleted,
    moved,
    merged,
    conflicts,
    // A blocked path's action stays planned: listed once, with why, among the blocked.
    pending: summary.pending.filter((a) => !summary.blocked.some((b) => b.path === a.path)).map((a) => ({type: a.type, path: a.path})),
    unreadable: summary.scan.unreadable,
    held: summary.held.map((h) => ({...h})),
    blocked: summary.blocked.map(({path, reason}) => ({path, reason})),
    head: summary.pull.head,
  }
  result.inSync = result.pending.length === 0 && result.unreadable.length === 0 && result.blocked.length === 0 && !result.held.some(isHeldDeletion)
  return report(result, options)
}

const isHeldDeletion = (held: {why: string}) => held.why !== 'read-only'

/** The summary line, or why the folder is not in sync yet (exit 11). */
function report(result: OnceResult, {json, log}: {json: boolean; log: (line: string) => void}): OnceResult {
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
      `in sync at jid ${result.head}: ${result.uploaded} sent, ${result.downloaded} received, ${result.deleted} deleted, ${result.moved} moved, ${result.merged} merged, ${result.conflicts.length} conflicts${kept}`,
    )
  } else {
    process.exitCode = EXIT.notInSync
    const reasons = [
      ...result.pending.map((p) => `${p.path} (${p.type} pending)`),
      ...result.unreadable.map((p) => `${p} (unreadable)`),
      ...result.blocked.map((p) => `${p.path} (${p.reason})`),
    ]
    if (!json) process.stderr.write(`error: not in sync yet: ${reasons.slice(0, 5).join(', ')}${reasons.length > 5 ? ` and ${reasons.length - 5} more` : ''}\n`)
  }
  return result
}
