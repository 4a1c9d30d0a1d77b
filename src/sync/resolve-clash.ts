/**
 * A file on one side where the other has a folder of the same name (`notes` here, `notes/today.txt` there):
 * a disk holds one or the other, so the file steps aside under a conflict name, next to where it was, and both
 * are kept; the trees then converge like after any rename.
 * - A remote file cannot go below `notes` (downloaded, or moved there with its folder) because `notes` is a file
 *   (or link) this device tracks: it is renamed here, which the next plan sends as a move.
 * - A remote file `notes` cannot be written (downloaded, or moved there from another name) because a folder is
 *   there: it is written (or moved) under the conflict name and taken as this device's base for `notes`, so the
 *   next plan sends "moved `notes` to the conflict name".
 * Anything else in the way (a file this device does not track, a link it did not write, a pipe, a socket or a
 * device) is left alone, reported.
 */
import {lstatSync} from 'node:fs'
import path from 'node:path'
import {LocalChangedError} from '../errors/local-changed-error.js'
import {conflictCopyPath} from '../merge/conflict-name.js'
import type {Action} from '../plan/action.js'
import type {FolderState} from '../state/folder-state.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {blockedReason, type SkippedPath} from './apply-remote.js'
import {moveVersion, writeVersion} from './local-files.js'

type Download = Extract<Action, {type: 'download'}>
/** What brings a file to a path: a download, or a remote move (a folder moved to where this device has a file). */
type RemoteMove = Extract<Action, {type: 'move-local'}>
type Arrival = Download | RemoteMove

export interface ClashContext {
  root: string
  state: FolderState
  store: ChunkStore
  device: string
  now: () => Date
}

/** What was moved aside: the path that was in the way and its new name. */
export interface ClashResolution {
  path: string
  copy: string
}

/**
 * Resolves the clashes among `skipped` (the downloads and remote moves of this pass, by the path they go to);
 * returns what it moved aside.
 */
export async function resolveClashes(skipped: readonly SkippedPath[], arriving: ReadonlyMap<string, Arrival>, ctx: ClashContext): Promise<ClashResolution[]> {
  const resolved: ClashResolution[] = []
  const done = new Set<string>()
  for (const {path: target, blocked} of skipped) {
    const arrival = arriving.get(target)
    // A pipe, a socket or a device in the way is the user's to move: reported, nothing renamed anywhere for it.
    if (!blocked || !arrival || blocked.reason === 'special-in-the-way') continue
    const inTheWay = blocked.reason === 'parent-not-folder' ? blocked.at : target
    const stepAside =
      inTheWay !== target
        ? () => stepAsideHere(inTheWay, ctx)
        : arrival.type === 'download'
          ? () => stepAsideThere(arrival, ctx)
          : () => moveAsideThere(arrival, ctx)
    if (done.has(inTheWay)) continue
    done.add(inTheWay)
    try {
      const copy = await stepAside()
      if (copy) resolved.push({path: inTheWay, copy})
    } catch (error) {
      // Changed meanwhile, or the copy cannot be written either: stays blocked, tried again next pass.
      if (!(error instanceof LocalChangedError) && blockedReason(error) === undefined) throw error
    }
  }
  if (resolved.length > 0) await ctx.state.save()
  return resolved
}

function copyName(relative: string, ctx: ClashContext): string {
  return conflictCopyPath(
    relative,
    ctx.device,
    ctx.now(),
    (candidate) => ctx.state.get(candidate) !== undefined || lstatSync(path.join(ctx.root, candidate), {throwIfNoEntry: false}) !== undefined,
  )
}

/** The tracked file (or link) that stands where the remote has a folder moves aside, here. */
async function stepAsideHere(relative: string, ctx: ClashContext): Promise<string | undefined> {
  const record = ctx.state.get(relative)
  if (!record?.local || record.ignored) return undefined
  const copy = copyName(relative, ctx)
  const moved = await moveVersion(ctx.root, relative, copy, record.local)
  ctx.state.update(relative, {local: undefined})
  ctx.state.update(copy, {local: moved})
  return copy
}

/** The remote file that stands where this device has a folder is written under a conflict name instead. */
async function stepAsideThere(download: Download, ctx: ClashContext): Promise<string> {
  const copy = copyName(download.path, ctx)
  const written = await writeVersion(ctx.root, copy, download.remote.manifest, ctx.store, undefined)
  ctx.state.update(copy, {local: written})
  // As if it had been downloaded to its path and then renamed: the next plan sends the move.
  ctx.state.update(download.path, {base: download.remote})
  return copy
}

/** The file a remote move would put where this device has a folder is moved under a conflict name instead. */
async function moveAsideThere(move: RemoteMove, ctx: ClashContext): Promise<string | undefined> {
  const source = ctx.state.get(move.from)
  if (!source?.local) return undefined
  const copy = copyName(move.path, ctx)
  const moved = await moveVersion(ctx.root, move.from, copy, source.local)
  ctx.state.update(move.from, {local: undefined, base: source.remote})
  ctx.state.update(copy, {local: moved})
  // As if it had been moved to its path and then renamed: the next plan sends the move.
  ctx.state.update(move.path, {base: move.remote})
  return copy
}
