/**
 * The planner: from the three trees (local, base, remote) of every path to the actions that make them equal.
 * Pure: no I/O, the same records give the same plan, so it can be tested on thousands of random trees.
 *
 * A path that could not be read, or that an ignore rule of this device matches, plans to nothing.
 * Per path, with L the local content, B the base, R the remote (absent and deleted both count as "no content"):
 * - L = R: in sync; record R as the base if it is not already.
 * - L = B: only the remote changed: download R, or delete the local file.
 * - R = B: only the local file changed: upload L, or commit its deletion.
 * - all three differ: an edit beats a delete (upload L over a remote deletion, download R over a local one);
 *   two edits are merged. Against a local deletion, any newer remote version counts as an edit.
 * Then a local deletion and a local creation of the same content become one move, and a remote move whose
 * source is unchanged here becomes a local rename.
 */
import {type Manifest, manifestsEqual, sameContent} from '../manifest/manifest.js'
import type {PathRecord, SyncedVersion} from '../state/path-record.js'
import type {Action} from './action.js'

type DeleteRemote = Extract<Action, {type: 'delete-remote'}>
type Download = Extract<Action, {type: 'download'}>
type DeleteLocal = Extract<Action, {type: 'delete-local'}>

export function planPath(path: string, record: PathRecord): Action | undefined {
  if (record.unreadable || record.ignored) return undefined
  const local = record.local?.manifest
  const {base, remote} = record
  const baseContent = base?.manifest
  const remoteContent = remote?.manifest
  if (manifestsEqual(local, remoteContent)) {
    if (remote && base?.jid !== remote.jid) return {type: 'record', path, version: remote}
    if (!remote && base) return {type: 'record', path, version: undefined}
    return undefined
  }
  const localChanged = !manifestsEqual(local, baseContent)
  // Against a local deletion, a newer remote version counts as a change even with the base's bytes (someone
  // restored or moved an equal file there): the deletion must not take their file away.
  const remoteTouched = !local && remoteContent !== undefined && base !== undefined && remote!.jid !== base.jid
  const remoteChanged = remoteTouched || !manifestsEqual(remoteContent, baseContent)
  if (!localChanged) return remoteAction(path, remote!)
  if (!remoteChanged) return localAction(path, local, remote)
  if (!local) return remoteAction(path, remote!)
  if (!remoteContent) return localAction(path, local, remote)
  return {type: 'merge', path, ...(baseContent ? {base: baseContent} : {}), local, remote: remote as SyncedVersion & {manifest: Manifest}}
}

function remoteAction(path: string, remote: SyncedVersion): Action {
  if (remote.manifest) return {type: 'download', path, remote: remote as SyncedVersion & {manifest: Manifest}}
  return {type: 'delete-local', path, remote}
}

function localAction(path: string, local: Manifest | undefined, remote: SyncedVersion | undefined): Action {
  if (local) return {type: 'upload', path, base: remote?.jid ?? null, manifest: local}
  return {type: 'delete-remote', path, base: remote!.jid}
}

/**
 * Plans every path, then pairs deletions and creations of the same content into moves. Actions are in path
 * order whatever the order of `records` (which of two equal deletions a creation pairs with depends on it).
 * Paths that plan to nothing play no part in the pairing: `records` may leave them out (incremental-planner.ts).
 */
export function planActions(records: Iterable<[string, PathRecord]>): Action[] {
  const actions: Action[] = []
  const byPath = new Map<string, PathRecord>()
  for (const [path, record] of records) {
    const action = planPath(path, record)
    if (!action) continue
    byPath.set(path, record)
    actions.push(action)
  }
  actions.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return pairRemoteMoves(pairLocalMoves(actions, byPath), byPath)
}

/**
 * Groups deletions by what their content likely is: a file's size, count of ids and its first and last id, not the
 * whole id list (as a string, 21 MB for a 1 GB text file, twice for a move). Each candidate is checked by sameContent.
 */
function contentKey(manifest: Manifest): string {
  if (manifest.kind === 'symlink') return `l:${manifest.target}`
  const {ids} = manifest
  return `f:${manifest.size}:${ids.length}:${ids.length > 0 ? ids.keyAt(0) + ids.keyAt(ids.length - 1) : ''}`
}

/** A local deletion of A and a creation of B with A's last synced content: one move A → B. */
function pairLocalMoves(actions: Action[], records: Map<string, PathRecord>): Action[] {
  const deletions = new Map<string, DeleteRemote[]>()
  for (const action of actions) {
    const content = action.type === 'delete-remote' ? records.get(action.path)?.base?.manifest : undefined
    if (content) {
      const key = contentKey(content)
      deletions.set(key, [...(deletions.get(key) ?? []), action as DeleteRemote])
    }
  }
  if (deletions.size === 0) return actions
  const paired = new Set<Action>()
  const out: Action[] = []
  for (const action of actions) {
    if (action.type !== 'upload' || isKnownRemotely(records.get(action.path))) continue
    const candidates = deletions.get(contentKey(action.manifest))
    const source = candidates?.find((d) => !paired.has(d) && sameContent(records.get(d.path)?.base?.manifest, action.manifest))
    if (!source) continue
    paired.add(source).add(action)
    out.push({type: 'move-remote', path: action.path, base: action.base, from: source.path, fromBase: source.base, manifest: action.manifest})
  }
  return [...actions.filter((a) => !paired.has(a)), ...out]
}

/** Whether the remote has content at this path (a creation there is not the arriving half of a move). */
function isKnownRemotely(record: PathRecord | undefined): boolean {
  return record?.remote?.manifest !== undefined
}

/** A remote move A → B whose source is unchanged here: rename A to B instead of deleting and downloading. */
function pairRemoteMoves(actions: Action[], records: Map<string, PathRecord>): Action[] {
  const deletes = new Map<string, DeleteLocal>()
  for (const action of actions) if (action.type === 'delete-local' && action.remote.movedTo) deletes.set(action.path, action)
  if (deletes.size === 0) return actions
  const paired = new Set<Action>()
  const out: Action[] = []
  for (const action of actions) {
    if (action.type !== 'download' || !action.remote.movedFrom) continue
    const source = deletes.get(action.remote.movedFrom)
    const sourceLocal = records.get(action.remote.movedFrom)?.local?.manifest
    if (!source || source.remote.jid !== action.remote.jid || !sameContent(sourceLocal, action.remote.manifest) || records.get(action.path)?.local) continue
    paired.add(source).add(action)
    out.push({type: 'move-local', path: action.path, from: source.path, remote: (action as Download).remote})
  }
  return [...actions.filter((a) => !paired.has(a)), ...out]
}
