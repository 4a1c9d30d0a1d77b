/**
 * A push the server refused for want of room (its disk, or the namespace's quota: a 507 answer). What brings no
 * chunks (deletions, moves) is sent all the same, since deleting is how a namespace gets room back; then the
 * files, one at a time and smallest first, until the server refuses one: a recipe still goes when a photo does
 * not fit. Each file left is refused by name (reported, tried again by the next pass). The pass goes on: what
 * the other devices changed still comes in. `noRoom` is the server's last refusal, when a file was left for want
 * of room: the syncer's next passes push this way from the start, so that a file that does not fit is sent once a
 * pass, not once in a batch and again alone.
 */
import {NoSpaceError} from '../errors/index.js'
import type {JournalClient} from '../journal/journal-client.js'
import {sameContent, type Manifest} from '../manifest/manifest.js'
import type {FolderState} from '../state/folder-state.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {push, type PushAction, type PushOutcome} from './push.js'

interface PushContext {
  state: FolderState
  store: ChunkStore
  client: JournalClient
  device: string
  /** The versions whose chunks the big lane sent (push's `delivered`). */
  delivered?: ReadonlyMap<string, Manifest>
}

const sizeOf = (action: PushAction): number => (action.type === 'upload' && action.manifest.kind === 'file' ? action.manifest.size : 0)

export async function pushWithoutRoom(
  local: readonly PushAction[],
  full: NoSpaceError,
  {state, store, client, device, delivered}: PushContext,
): Promise<PushOutcome & {noRoom?: NoSpaceError}> {
  const outcome: PushOutcome & {noRoom?: NoSpaceError} = {committed: [], created: [], conflicts: [], refused: []}
  const light = local.filter((action) => action.type !== 'upload')
  const files = local.filter((action) => action.type === 'upload' && !recorded(state, action.path, action.manifest)).sort((a, b) => sizeOf(a) - sizeOf(b))
  let refusal = full
  for (const actions of [...(light.length > 0 ? [light] : []), ...files.map((file) => [file])]) {
    try {
      const sent = await push(actions, state, store, client, device, delivered)
      outcome.committed.push(...sent.committed)
      outcome.created.push(...sent.created)
      outcome.conflicts.push(...sent.conflicts)
      outcome.refused.push(...sent.refused)
    } catch (error) {
      const again = NoSpaceError.from(error)
      if (again?.onServer !== true) throw error
      refusal = again
      // Moves the server cannot take without chunks it lacks are refused with the files; the next file is bigger.
      if (actions !== light) break
    }
  }
  const done = new Set([...outcome.committed.map(({action}) => action.path), ...outcome.refused.map(({path}) => path)])
  for (const action of local) {
    // An upload committed by the first push before it stopped is recorded already.
    if (!done.has(action.path) && !(action.type === 'upload' && recorded(state, action.path, action.manifest))) {
      outcome.refused.push({path: action.path, reason: refusal.message})
      outcome.noRoom = refusal
    }
  }
  return outcome
}

/** Whether the state records `manifest` as the path's synced version (committed). */
function recorded(state: FolderState, path: string, manifest: Manifest): boolean {
  return sameContent(state.get(path)?.base?.manifest, manifest)
}
