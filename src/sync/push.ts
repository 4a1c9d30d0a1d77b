/**
 * Sends local changes to the journal: uploads, deletions and moves, many per request. A change to a file the
 * server already knows travels as an edit script of its id list (a one-line edit is one id); new chunks travel
 * inline when they are few and small (no extra round trip), otherwise in packs after asking which are missing.
 * Each item's result updates the trees: committed or unchanged → agreed (base = remote = it); conflict → the
 * remote tree learns the head and the next plan merges; missing → those chunks are uploaded and the item retried.
 */
import type {Action} from '../plan/action.js'
import type {CommitItem, CommitResult, JournalClient, UploadOptions} from '../journal/journal-client.js'
import {diffIds, insertedIds} from '../manifest/edits.js'
import {EDITS_MAX_IDS, wantsTree, writeTree, type TreeRef} from '../manifest/id-tree.js'
import {sameContent, type FileManifest, type Manifest} from '../manifest/manifest.js'
import type {FolderState} from '../state/folder-state.js'
import type {SyncedVersion} from '../state/path-record.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {hexToKey} from '../chunk/hash.js'
import {IdList} from '../chunk/id-list.js'
import {IdSet} from '../chunk/id-set.js'
import {ServerRejectedError, TooLargeError} from '../errors/index.js'
import {crashPoint} from '../util/crash-point.js'
import {keepTreeNodes} from './keep-tree-nodes.js'
import {recordEntry} from './remote-tree.js'

export type PushAction = Extract<Action, {type: 'upload' | 'delete-remote' | 'move-remote'}>

/**
 * How push cuts its work; none of these is a protocol limit (the journal client cuts every request to the
 * server's own: src/protocol/limits.ts). Inline chunk bytes offered per commit: under the protocol's minimum
 * (64 KiB) they need no question to the server first; past it the server's own limit (default 1 MiB) holds.
 */
const INLINE_LIMIT = 512 * 1024
const INLINE_MAX_CHUNKS = 2048
/** Changes recorded per round (a crash loses at most one round's records). */
const ITEMS_PER_COMMIT = 1000
/** Ids asked about, then uploaded, per round: bounds what is held between the question and the upload. */
const IDS_PER_ROUND = 50_000

export interface PushOutcome {
  committed: {action: PushAction; jid: number}[]
  /** JIDs the server created for these commits (not those of `unchanged` results). */
  created: number[]
  conflicts: string[]
  /** Changes the server refused to take (too large for one request): reported by name, never retried in a loop. */
  refused: {path: string; reason: string}[]
}

/** Inserted ids past which an edit of a file of many chunks travels as its tree's new nodes instead. */
const TREE_EDIT_MAX_INSERTED = 1024

/**
 * A change as a commit item, and the ids of the chunks (and tree nodes) it introduces, as binary lists: a 1 GB text
 * file's are 670,000, 21 MB as ids where hex strings took 60 MB and more for each copy made of them.
 */
async function commitItem(action: PushAction, state: FolderState, store: ChunkStore, whole: boolean): Promise<{item: CommitItem; newIds: IdList[]}> {
  if (action.type === 'delete-remote') return {item: {path: action.path, base: action.base, deleted: true}, newIds: []}
  const {manifest} = action
  const known = state.get(action.path)?.remote
  const had = action.type === 'upload' && known?.manifest?.kind === 'file' && known.jid === action.base ? known.manifest : undefined
  // An encrypted folder sends whole manifests (sealing.ts maps them to sealed ids; edits and trees do not map).
  if (whole) return fullItem(action, manifest)
  if (manifest.kind === 'file' && had && had.ids.length <= EDITS_MAX_IDS && manifest.ids.length <= EDITS_MAX_IDS) {
    const ops = diffIds(had.ids, manifest.ids)
    const inserted = ops.reduce((n, op) => n + op.insert.length, 0)
    if (inserted < manifest.ids.length && (!wantsTree(manifest.ids.length) || inserted <= TREE_EDIT_MAX_INSERTED)) {
      return {item: {path: action.path, base: action.base, edits: ops, size: manifest.size, exec: manifest.exec}, newIds: [insertedIds(ops)]}
    }
  }
  if (manifest.kind === 'file' && wantsTree(manifest.ids.length)) {
    const {tree, introduces} = await treeOf(manifest, had, store)
    const item = {path: action.path, base: action.base, tree, size: manifest.size, exec: manifest.exec}
    if (action.type === 'upload') return {item: {...item, introduces: hexOf(introduces)}, newIds: introduces}
    // A move: the server has the tree already (it tells if not, and push sends what it names).
    return {item: {...item, from: {path: action.from, base: action.fromBase}, introduces: []}, newIds: []}
  }
  return fullItem(action, manifest)
}

/** An upload or a move as its whole manifest. */
function fullItem(action: Exclude<PushAction, {type: 'delete-remote'}>, manifest: Manifest): {item: CommitItem; newIds: IdList[]} {
  if (action.type === 'move-remote') {
    return {item: {path: action.path, base: action.base, from: {path: action.from, base: action.fromBase}, manifest}, newIds: []}
  }
  return {item: {path: action.path, base: action.base, manifest}, newIds: manifest.kind === 'file' ? [manifest.ids] : []}
}

/** The chunks an upload's commit introduces (a new file's all, an edit's new ones, a tree's new nodes too): what the big lane sends ahead. */
export async function chunksToSend(action: Extract<PushAction, {type: 'upload'}>, state: FolderState, store: ChunkStore, whole: boolean): Promise<IdList[]> {
  return (await commitItem(action, state, store, whole)).newIds
}

/**
 * The tree of a file of many chunks, its nodes put in the store (to be sent like chunks), and what it introduces:
 * its nodes and chunks that `had` (the version the server has of this path) does not have, or all of them.
 */
async function treeOf(manifest: FileManifest, had: FileManifest | undefined, store: ChunkStore): Promise<{tree: TreeRef; introduces: IdList[]}> {
  const tree = (await keepTreeNodes(manifest.ids, store))!
  const oldNodes = new IdSet(had && wantsTree(had.ids.length) ? [await treeNodeIds(had.ids)] : [])
  const nodes = new IdList()
  for (let i = 0; i < tree.nodes.length; i++) if (!oldNodes.hasAt(tree.nodes, i)) nodes.pushKey(tree.nodes.keyAt(i))
  // A new file's ids as they are, not copied beside its nodes (21 MB for a 1 GB text file).
  return {tree: tree.ref, introduces: [nodes, had ? insertedIds(diffIds(had.ids, manifest.ids)) : manifest.ids]}
}

/** The ids of `lists` as hex, one after another, as often as they are iterated. */
function hexOf(lists: readonly IdList[]): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      for (const list of lists) yield* list
    },
  }
}

/** The ids of the nodes of the tree of `ids` (the nodes themselves are dropped as they are cut). */
async function treeNodeIds(ids: IdList): Promise<IdList> {
  const nodes = new IdList()
  await writeTree(ids, async (cut) => cut.forEach((node) => nodes.pushHex(node.id)))
  return nodes
}

/** Chunk bytes to send inline, or undefined when there are too many: then they go in packs first. */
async function inlineChunks(ids: IdList, store: ChunkStore): Promise<Map<string, Uint8Array> | undefined> {
  if (ids.length > INLINE_MAX_CHUNKS) return undefined
  const inline = new Map<string, Uint8Array>()
  let bytes = 0
  for (const id of ids) {
    if (inline.has(id)) continue
    const chunk = await store.read(id)
    bytes += chunk.length
    if (bytes > INLINE_LIMIT) return undefined
    inline.set(id, chunk)
  }
  return inline
}

/** Asking "missing?" costs ~134 bytes per id there and back: more than sending a line. Only larger chunks are asked about. */
const ASK_ABOVE_BYTES = 1024

/** The chunks the server has for sure: those of every version the remote tree knows (a set over their lists, not a copy). */
function knownRemotely(state: FolderState): IdSet {
  const lists: IdList[] = []
  for (const [, record] of state.entries()) {
    const manifest = record.remote?.manifest
    if (manifest?.kind === 'file') lists.push(manifest.ids)
  }
  return new IdSet(lists)
}

/**
 * Sends the chunks of `ids` the server may lack: small ones straight away, large ones after asking. `known`
 * (what the server has for sure) grows with what was sent, so later batches of the same push skip it.
 */
export async function uploadMissing(ids: readonly string[], client: JournalClient, store: ChunkStore, known: IdSet, packs: UploadOptions = {}): Promise<void> {
  const small: string[] = []
  const large: string[] = []
  for (const id of new Set(ids)) {
    if (!known.addKey(hexToKey(id))) continue
    if ((store.chunkLength(id) ?? 0) < ASK_ABOVE_BYTES) small.push(id)
    else large.push(id)
  }
  if (small.length > 0) await client.upload(store, small, packs)
  for (let i = 0; i < large.length; i += IDS_PER_ROUND) {
    const missing = await client.missing(large.slice(i, i + IDS_PER_ROUND))
    if (missing.length > 0) await client.upload(store, missing, packs)
  }
}

/** Sends what the server may lack of `ids`, in rounds: a new 1 GB text file's 670,000 ids as hex strings at once cost over 60 MB. */
async function uploadInRounds(ids: IdList, client: JournalClient, store: ChunkStore, known: IdSet): Promise<void> {
  for (let from = 0; from < ids.length; from += IDS_PER_ROUND) await uploadMissing(ids.hexRange(from, from + IDS_PER_ROUND), client, store, known)
  crashPoint('after-upload-before-commit')
}

function record(action: PushAction, result: CommitResult, manifest: Manifest | undefined, state: FolderState, outcome: PushOutcome): void {
  if (result.status === 'committed' || result.status === 'unchanged') {
    outcome.committed.push({action, jid: result.jid})
    // Deleting a path the namespace never had: nothing to agree on.
    if (result.jid === 0) {
      state.update(action.path, {base: undefined, remote: undefined})
      return
    }
    const version: SyncedVersion = {jid: result.jid, ...(manifest ? {manifest} : {})}
    // Only a move the server carried out touched the old path; one whose old path was already gone became a
    // plain create, and the old path's real head comes with the next pull.
    if (action.type === 'move-remote' && result.from === action.from) {
      version.movedFrom = action.from
      const gone: SyncedVersion = {jid: result.jid, movedTo: action.path}
      state.update(action.from, {base: gone, remote: gone})
    }
    state.update(action.path, {base: version, remote: version})
    if (result.status === 'committed') outcome.created.push(result.jid)
  } else if (result.status === 'conflict') {
    // The head (of this path, or of a move's old path) goes into the remote tree; the next plan merges.
    recordEntry(state, result.head, result.head.manifest)
    outcome.conflicts.push(action.path)
  }
}

/**
 * Sends `actions`; `delivered` holds the versions whose chunks the big lane sent (by path): they are committed
 * without sending or asking about any (the server names what it lacks, if anything, and push sends that).
 */
export async function push(
  actions: readonly PushAction[],
  state: FolderState,
  store: ChunkStore,
  client: JournalClient,
  device: string,
  delivered: ReadonlyMap<string, Manifest> = new Map(),
): Promise<PushOutcome> {
  const outcome: PushOutcome = {committed: [], created: [], conflicts: [], refused: []}
  let known: IdSet | undefined
  // Two chains: uploads one after another, and commits one after another, each after its own batch's upload and
  // the commit before it. A batch is prepared while the one before it uploads and the one before that commits:
  // the server checks and stores a pack while this side prepares the next batch, instead of each waiting for the other.
  let uploading: Promise<void> = Promise.resolve()
  /** The last batch (numbered from 1) naming each path, and how many batches are committed (they commit in order). */
  const lastBatchOf = new Map<string, number>()
  let committedBatches = 0
  /** Each batch's commit, by its number - 1: the last is the one every new commit follows. */
  const commits: Promise<void>[] = []
  const lastCommit = () => commits.at(-1) ?? Promise.resolve()
  let failure: {error: unknown} | undefined
  try {
    for (let start = 0; start < actions.length; start += ITEMS_PER_COMMIT) {
      if (failure) throw failure.error
      const batch = actions.slice(start, start + ITEMS_PER_COMMIT)
      const number = start / ITEMS_PER_COMMIT + 1
      // Commits lag the uploads by two batches at most: what waits to be committed stays bounded.
      await commits[number - 3]
      // A batch naming a path of a batch not yet committed is prepared from that commit's records.
      if (batch.some((action) => pathsOf(action).some((path) => (lastBatchOf.get(path) ?? 0) > committedBatches))) await lastCommit()
      for (const action of batch) for (const path of pathsOf(action)) lastBatchOf.set(path, number)
      const prepared: (Prepared & {newIds: IdList[]})[] = []
      for (const action of batch) prepared.push({action, ...(await commitItem(action, state, store, client.sealed))})
      const toSend = prepared.flatMap(({action, newIds: lists}) => (sentBy(delivered, action) ? [] : lists))
      // Sized once: grown by doubling, a batch's 33,000 ids were copied again and again.
      const newIds = new IdList(toSend.reduce((n, ids) => n + ids.length, 0))
      for (const ids of toSend) newIds.append(ids)
      // An encrypted folder's chunks go sealed, in packs: never inline.
      const inline = client.sealed ? undefined : await inlineChunks(newIds, store)
      // At most one upload waits behind the one on the wire: two batches' chunks are held at most.
      await uploading
      if (!inline) {
        known ??= knownRemotely(state)
        uploading = uploadInRounds(newIds, client, store, known)
      }
      const committing = Promise.all([uploading, lastCommit()]).then(async () => {
        await commitBatch(prepared, inline, {state, store, client, device, outcome})
        committedBatches = number
      })
      commits.push(committing)
      // A failed commit stops the push at its next batch (a failed upload stops it at `await uploading`).
      committing.catch((error: unknown) => (failure ??= {error}))
      // Handled when awaited; until then a failure must not count as unhandled.
      uploading.catch(() => {})
    }
    await lastCommit()
  } finally {
    // A push stopped by an error leaves no upload or commit running behind it.
    await Promise.all([uploading.catch(() => {}), lastCommit().catch(() => {})])
  }
  await state.save()
  return outcome
}

/** The paths whose records a change's commit updates. */
function pathsOf(action: PushAction): string[] {
  return action.type === 'move-remote' ? [action.path, action.from] : [action.path]
}

/** Whether the big lane sent the chunks of this upload's version. */
function sentBy(delivered: ReadonlyMap<string, Manifest>, action: PushAction): boolean {
  return action.type === 'upload' && sameContent(delivered.get(action.path), action.manifest)
}

type Prepared = {action: PushAction; item: CommitItem}

interface CommitContext {
  state: FolderState
  store: ChunkStore
  client: JournalClient
  device: string
  outcome: PushOutcome
}

/**
 * Commits `prepared` and records the results; items missing chunks are sent again once their chunks are
 * uploaded. A request the server refuses as too large is split in halves, down to the one item that is too
 * large alone: that path is refused (reported by name) and every other item is committed.
 */
async function commitBatch(prepared: Prepared[], inline: Map<string, Uint8Array> | undefined, context: CommitContext): Promise<void> {
  const {state, store, client, device, outcome} = context
  let pending = prepared
  let offered = inline
  for (let attempt = 0; pending.length > 0 && attempt < 2; attempt++) {
    let results: CommitResult[]
    try {
      results = await client.commit(
        pending.map((p) => p.item),
        {device, ...(offered && offered.size > 0 ? {inline: offered} : {})},
      )
    } catch (error) {
      const tooLarge =
        error instanceof TooLargeError ? error.message : error instanceof ServerRejectedError && error.status === 413 ? error.serverMessage : undefined
      if (tooLarge === undefined) throw error
      if (pending.length === 1) {
        outcome.refused.push({path: pending[0].action.path, reason: `too large to send: ${tooLarge}`})
        return
      }
      // Halves without the inline chunks: what they lack comes back as missing and is uploaded in packs.
      const half = Math.ceil(pending.length / 2)
      await commitBatch(pending.slice(0, half), undefined, context)
      await commitBatch(pending.slice(half), undefined, context)
      return
    }
    offered = undefined
    crashPoint('after-commit-before-base')
    const retry: Prepared[] = []
    const missing: string[] = []
    results.forEach((result, i) => {
      const {action} = pending[i]
      if (result.status === 'missing') {
        missing.push(...result.ids)
        retry.push(pending[i])
      } else record(action, result, action.type === 'delete-remote' ? undefined : action.manifest, state, outcome)
    })
    if (missing.length > 0) await client.upload(store, [...new Set(missing)])
    pending = retry
  }
}
