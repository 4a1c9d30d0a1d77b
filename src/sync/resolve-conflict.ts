/**
 * Both sides changed a file. A text file with a common base is merged by lines (merge-ids.ts): the merged
 * version is written here and, since it now contains the remote version, recorded on the remote's base so the
 * next plan uploads it. Otherwise (overlapping edits, binary files, no common base, a symlink on either side)
 * both are kept: the local version is first written as a conflict copy next to the file, then the remote
 * version takes the path. Nothing a user wrote is lost, even if the process dies between the two writes.
 */
import {detectKind, type KindRules} from '../chunk/file-kind.js'
import {LocalChangedError} from '../errors/local-changed-error.js'
import type {JournalClient} from '../journal/journal-client.js'
import {conflictCopyPath} from '../merge/conflict-name.js'
import {mergeIds} from '../merge/merge-ids.js'
import type {FileManifest, Manifest} from '../manifest/manifest.js'
import type {Action} from '../plan/action.js'
import type {FolderState} from '../state/folder-state.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {blockedReason, fetchChunks} from './apply-remote.js'
import {CHANGED_LOCALLY} from './blocked-paths.js'
import {writeVersion} from './local-files.js'

export type MergeAction = Extract<Action, {type: 'merge'}>

export interface ResolveContext {
  root: string
  state: FolderState
  store: ChunkStore
  client: JournalClient
  device: string
  now: () => Date
  kindRules?: KindRules
}

export type Resolution = {type: 'merged'; path: string} | {type: 'conflict'; path: string; copy: string} | {type: 'skipped'; path: string; reason: string}

async function isText(path: string, manifest: FileManifest, store: ChunkStore, rules?: KindRules): Promise<boolean> {
  const head = manifest.ids.length > 0 ? await store.read(manifest.ids.hexAt(0)) : Buffer.alloc(0)
  return detectKind(path, head, rules) === 'text'
}

async function mergedManifest(action: MergeAction, ctx: ResolveContext): Promise<Manifest | undefined> {
  const {base, local} = action
  const remote = action.remote.manifest
  if (base?.kind !== 'file' || local.kind !== 'file' || remote.kind !== 'file') return undefined
  if (!(await isText(action.path, remote, ctx.store, ctx.kindRules)) || !(await isText(action.path, local, ctx.store, ctx.kindRules))) return undefined
  const result = mergeIds(base.ids, local.ids, remote.ids)
  if (!result.clean) return undefined
  let size = 0
  for (const id of result.ids) size += ctx.store.chunkLength(id) ?? 0
  const exec = local.exec !== base.exec ? local.exec : remote.exec
  return {kind: 'file', size, exec, ids: result.ids}
}

export async function resolveConflict(action: MergeAction, ctx: ResolveContext): Promise<Resolution> {
  const {root, state, store} = ctx
  const record = state.get(action.path)!
  try {
    const absent = await fetchChunks([action.remote.manifest], store, ctx.client)
    // A version replaced and pruned (its chunks collected) since this device read it: the next pass reads the newer one.
    if (absent > 0) return {type: 'skipped', path: action.path, reason: `the server lacks ${absent} of its chunks`}
    const merged = await mergedManifest(action, ctx)
    if (merged) {
      const written = await writeVersion(root, action.path, merged, store, record.local)
      state.update(action.path, {local: written, base: action.remote})
      return {type: 'merged', path: action.path}
    }
    const copy = conflictCopyPath(action.path, ctx.device, ctx.now(), (candidate) => state.get(candidate) !== undefined)
    const saved = await writeVersion(root, copy, action.local, store, undefined)
    state.update(copy, {local: saved})
    const written = await writeVersion(root, action.path, action.remote.manifest, store, record.local)
    state.update(action.path, {local: {...written, fromJournal: true}, base: action.remote})
    return {type: 'conflict', path: action.path, copy}
  } catch (error) {
    const reason = error instanceof LocalChangedError ? CHANGED_LOCALLY : blockedReason(error)
    if (reason === undefined) throw error
    return {type: 'skipped', path: action.path, reason}
  } finally {
    await state.save()
  }
}
