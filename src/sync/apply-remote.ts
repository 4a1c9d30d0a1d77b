/**
 * Carries remote changes into the folder: downloads (chunks fetched in packs, those already here or sent inline
 * not asked for; a group of downloads is written while the next group's chunks are fetched), deletions and renames. A path that changed on disk since the scan is skipped
 * (LocalChangedError): the next pass sees the edit and merges instead of overwriting it. A version whose chunks
 * the server lacks (a lost pack, a writer that committed through a broken server) waits, reported; the rest of
 * the pass goes on, and the next pass asks again. A version made here that a download replaces or a deletion
 * removes is kept on this device (FolderState.keep, kept-versions.ts).
 */
import type {Action} from '../plan/action.js'
import {BlockedPathError, CorruptDataError, FileAccessError, MissingChunksError} from '../errors/index.js'
import {LocalChangedError} from '../errors/local-changed-error.js'
import type {JournalClient} from '../journal/journal-client.js'
import type {Manifest} from '../manifest/manifest.js'
import type {FolderState} from '../state/folder-state.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {runLimited} from '../util/run-limited.js'
import {isStoreDamage} from '../store/store-damage.js'
import {CHANGED_LOCALLY} from './blocked-paths.js'
import {deleteVersion, moveVersion} from './local-files.js'
import {downloadGroups} from './download-groups.js'
import {BATCH_FILES, writeDownloads} from './write-downloads.js'

export interface SkippedPath {
  path: string
  reason: string
  /** Set when a link, a file or a folder on this disk is in the way (the syncer may resolve it as a clash). */
  blocked?: BlockedPathError
}

export type RemoteAction = Extract<Action, {type: 'download' | 'delete-local' | 'move-local'}>

/** Chunks fetched per round (each round cut to the server's limits by the journal client): bounds memory. */
export const IDS_PER_FETCH = 50_000
/** Downloads fetched together (download-groups.ts): the first group's writes start after a few write batches' fetch. */
const FETCH_GROUPS = {firstFiles: 4 * BATCH_FILES, files: 32 * BATCH_FILES, ids: IDS_PER_FETCH}
/** Folders fsynced at once after the writes. */
const WRITE_CONCURRENCY = 8

export interface ApplyOutcome {
  done: RemoteAction[]
  /** Paths skipped because they changed locally, or could not be written, with why. */
  skipped: SkippedPath[]
}

/** Fetches the chunks of `manifests` the store lacks; how many of them the server lacks too. */
export async function fetchChunks(manifests: readonly Manifest[], store: ChunkStore, client: JournalClient): Promise<number> {
  return (await fetchAvailable(manifests, store, client)).size
}

/** Makes sure the store holds every chunk of these manifests. */
export async function ensureChunks(manifests: readonly Manifest[], store: ChunkStore, client: JournalClient): Promise<void> {
  const lacking = await fetchAvailable(manifests, store, client)
  if (lacking.size > 0) throw new MissingChunksError([...lacking], 'the server')
}

/**
 * Fetches the chunks of these manifests that the store lacks; returns those the server lacks too. The lists are
 * walked in place and fetched IDS_PER_FETCH at a time: a 1 GB text file's 670,000 ids as hex strings, and a set of
 * them, cost over 150 MB; a chunk met again after its round is in the store by then.
 */
async function fetchAvailable(manifests: readonly Manifest[], store: ChunkStore, client: JournalClient): Promise<Set<string>> {
  store.refresh()
  const lacking = new Set<string>()
  const round = new Set<string>()
  const fetchRound = async () => {
    for (const id of await fetchIds([...round], store, client)) lacking.add(id)
    round.clear()
  }
  for (const manifest of manifests) {
    if (manifest.kind !== 'file') continue
    const {ids} = manifest
    for (let i = 0; i < ids.length; i++) {
      if (store.hasKey(ids.keyAt(i))) continue
      const id = ids.hexAt(i)
      if (lacking.has(id)) continue
      round.add(id)
      if (round.size === IDS_PER_FETCH) await fetchRound()
    }
  }
  await fetchRound()
  return lacking
}

/** Fetches these chunks into the store (at most IDS_PER_FETCH of them); returns the ids the server lacks. */
export async function fetchIds(ids: string[], store: ChunkStore, client: JournalClient): Promise<string[]> {
  if (ids.length === 0) return []
  try {
    await client.fetch(store, ids)
    return []
  } catch (error) {
    // The server names every id of the request it lacks, and sends nothing: the others are asked for again.
    if (!(error instanceof MissingChunksError)) throw error
    const lacking = new Set(error.ids)
    const rest = ids.filter((id) => !lacking.has(id))
    if (rest.length > 0) await client.fetch(store, rest)
    return [...lacking]
  }
}

/** How many of the manifest's chunks are among these ids. */
export function lackedBy(manifest: Manifest, lacking: ReadonlySet<string>): number {
  let count = 0
  if (manifest.kind === 'file' && lacking.size > 0) for (const id of manifest.ids) if (lacking.has(id)) count++
  return count
}

export async function applyRemote(
  actions: readonly RemoteAction[],
  root: string,
  state: FolderState,
  store: ChunkStore,
  client: JournalClient,
  /** Told of each change carried out, as it is. */
  onDone?: (action: RemoteAction) => void,
): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = {done: [], skipped: []}
  const groups = downloadGroups(
    actions.filter((a): a is Extract<RemoteAction, {type: 'download'}> => a.type === 'download'),
    FETCH_GROUPS,
  )
  const fetchGroup = (at: number) => {
    if (at >= groups.length) return undefined
    const fetching = fetchAvailable(
      groups[at].map((a) => a.remote.manifest),
      store,
      client,
    )
    // Handled when awaited; until then a failure must not count as unhandled.
    fetching.catch(() => {})
    return fetching
  }
  // The first group's chunks come while the renames and deletions below are carried out.
  let fetching = fetchGroup(0)
  const done = (action: RemoteAction) => {
    outcome.done.push(action)
    onDone?.(action)
  }
  // A failure of one path is reported and the others go on; any other error stops the pass.
  const skip = (action: RemoteAction, error: unknown) => {
    if (error instanceof LocalChangedError) outcome.skipped.push({path: action.path, reason: CHANGED_LOCALLY})
    else {
      const reason = blockedReason(error)
      if (reason === undefined) throw error
      outcome.skipped.push({path: action.path, reason, ...(error instanceof BlockedPathError ? {blocked: error} : {})})
    }
  }
  const attempt = (action: RemoteAction, work: () => Promise<void>) =>
    work().then(
      () => done(action),
      (error: unknown) => skip(action, error),
    )
  // Each file is synced as it is written; each folder's entries (the renames) once at the end, before any of
  // it is recorded: a crash before that leaves files the next scan finds, never records of missing files. The
  // folders are synced even when an error stops the writes, so that what is recorded in memory is durable.
  const folders = new Set<string>()
  try {
    // Renames and deletions first: they may free the paths that downloads write to.
    for (const action of actions) {
      if (action.type === 'move-local') {
        await attempt(action, async () => {
          const source = state.get(action.from)!
          const moved = await moveVersion(root, action.from, action.path, source.local!)
          state.update(action.from, {local: undefined, base: source.remote})
          state.update(action.path, {local: moved, base: action.remote})
        })
      } else if (action.type === 'delete-local') {
        await attempt(action, async () => {
          const {local} = state.get(action.path)!
          await deleteVersion(root, action.path, local!)
          state.keep(action.path, local, {jid: action.remote.jid, deleted: true})
          state.update(action.path, {local: undefined, base: action.remote})
        })
      }
    }
    // Each group is written while the next one's chunks are fetched.
    for (let at = 0; at < groups.length; at++) {
      const lacking = await fetching!
      fetching = fetchGroup(at + 1)
      const downloads = groups[at].filter((a) => {
        const absent = lackedBy(a.remote.manifest, lacking)
        if (absent > 0) outcome.skipped.push({path: a.path, reason: `the server lacks ${absent} of its chunks`})
        return absent === 0
      })
      await writeDownloads(downloads, {
        root,
        store,
        expected: (path) => state.get(path)?.local,
        failed: skip,
        placed: (action, written) => {
          state.keep(action.path, state.get(action.path)?.local, {jid: action.remote.jid, deleted: false})
          state.update(action.path, {local: {...written, fromJournal: true}, base: action.remote})
          done(action)
        },
        folders,
      })
    }
  } finally {
    await runLimited([...folders], WRITE_CONCURRENCY, fsyncDir)
    // A pass stopped by an error leaves no fetch running behind it.
    await fetching?.catch(() => {})
  }
  await state.save()
  return outcome
}

/** Errors of one path that must not stop the others: a name this disk cannot hold, no permission, a full disk. */
const PATH_ERRORS: Record<string, string> = {
  EISDIR: 'a folder is in the way',
  ENOTDIR: 'a file is in the way of its folder',
  EEXIST: 'something is in the way',
  ENOTEMPTY: 'a folder that is not empty is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENAMETOOLONG: 'the name is too long for this disk',
  EINVAL: 'the name is not allowed on this disk',
  EILSEQ: 'the name is not allowed on this disk',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
}

/** Why one path could not be written (left for the user, reported), or undefined for an error that stops the pass. */
export function blockedReason(error: unknown): string | undefined {
  // Damage in this folder's store is no path's: the pass stops, and is repaired (store-repair.ts, sync fsck --repair).
  if (isStoreDamage(error)) return undefined
  // A version whose chunks do not make its size (a lying server or writer) is refused, like a name that cannot exist.
  if (error instanceof FileAccessError || error instanceof BlockedPathError || error instanceof CorruptDataError) return error.message
  const code = (error as NodeJS.ErrnoException).code
  return code === undefined ? undefined : PATH_ERRORS[code]
}
