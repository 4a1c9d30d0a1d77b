/**
 * Brings the remote tree up to date from the journal: every entry after the cursor, in JID order, never
 * skipping one (entries naming a path no client may write are refused and reported). An entry's manifest comes whole, or as edits to the version it replaced (`prev`), which we hold
 * when our remote tree is at `prev`; otherwise the full entry is asked for. Chunks the server sent inline are
 * checked against their ids before they enter the store. The cursor moves in the same transaction as the
 * records, so a crash never leaves it ahead of what was recorded.
 */
import {ClientTooOldError, CorruptDataError} from '../errors/index.js'
import {hexToKey} from '../chunk/hash.js'
import type {RefusedEntry} from '../journal/read-answers.js'
import type {ChangesPage, JournalClient, JournalEntry} from '../journal/journal-client.js'
import {applyEdits} from '../manifest/edits.js'
import type {Manifest} from '../manifest/manifest.js'
import type {FolderState} from '../state/folder-state.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {keepTreeNodes} from './keep-tree-nodes.js'
import {knowsAtLeast, recordEntry} from './remote-tree.js'

/** Inline chunk bytes asked for with each page: enough for small edits to need no fetch. */
export const INLINE_BYTES = 256 * 1024

export interface PullResult {
  /** Paths whose remote version changed. */
  changed: string[]
  /** The namespace's newest JID when the last page was read. */
  head: number
  /** Entries refused (a path this client must not write); `gone` when the entry took that path away. */
  refused: RefusedEntry[]
  /** The device that deleted (or moved away) each path this pull saw go, for the delete guard's report. */
  deletedBy: Map<string, string>
  /**
   * The server stopped handing this client entries (it is too old to read the next one: a tree manifest for a
   * protocol-1 client); what came before is in the result, and the cursor stays before that entry.
   */
  stoppedBy?: ClientTooOldError
}

async function manifestOf(entry: JournalEntry, state: FolderState, store: ChunkStore, client: JournalClient): Promise<Manifest | undefined> {
  if (entry.kind === 'deleted') return undefined
  if (entry.manifest) return entry.manifest
  const known = state.get(entry.path)?.remote
  const previous = known && known.jid === entry.prev ? known.manifest : undefined
  if (entry.edits && previous?.kind === 'file') {
    const ids = applyEdits(previous.ids, entry.edits)
    // Its nodes, as if they had come: a later move of the file names this tree's root.
    await keepTreeNodes(ids, store)
    return {kind: 'file', size: entry.size ?? 0, exec: entry.exec ?? false, ids}
  }
  const full = await client.entry(entry.jid)
  if (!full.manifest) throw new CorruptDataError(`the server's journal entry ${entry.jid} of ${entry.path} has no manifest`, {jid: entry.jid})
  return full.manifest
}

/** Applies one page of changes to the remote tree (not saved: the caller saves with the cursor). */
export async function applyPage(page: ChangesPage, state: FolderState, store: ChunkStore, client: JournalClient, result: PullResult): Promise<void> {
  // Each inline chunk is keyed by the id its bytes hash to (computed on arrival).
  for (const [id, bytes] of page.inline) store.addKeyed(bytes, hexToKey(id))
  result.refused.push(...page.refused)
  for (const entry of page.entries) {
    // A pruned version (past retention) is never its path's head: a later entry of this pull sets that path. A
    // pruned move still took its old path away, which nothing later may say (a device offline that long had it).
    if (entry.pruned) {
      if (entry.from) {
        result.changed.push(...recordEntry(state, {jid: entry.jid, path: entry.from}, undefined))
        result.deletedBy.set(entry.from, entry.device)
      }
      continue
    }
    // The manifest is only worth resolving (possibly a request) when the entry's path has not seen it yet.
    const manifest = knowsAtLeast(state, entry.path, entry.jid) ? undefined : await manifestOf(entry, state, store, client)
    result.changed.push(...recordEntry(state, entry, manifest))
    if (entry.kind === 'deleted') result.deletedBy.set(entry.path, entry.device)
    if (entry.from) result.deletedBy.set(entry.from, entry.device)
  }
  state.cursor = Math.max(state.cursor, page.last)
  result.head = page.head
}

/** A page asked for, or why the server would not give it (this client is too old for what it holds). */
type Asked = Promise<{page: ChangesPage} | {stoppedBy: ClientTooOldError}>

/**
 * Reads pages from the cursor up to the journal's head as the first page saw it; `first` is a page already in
 * hand (a long-poll's answer). Entries committed meanwhile are left to the next read (the daemon's long-poll
 * answers at once while any are there): during a first sync, with the other device still committing its files,
 * reading on until it stopped left this device writing nothing for as long as the other one sent.
 *
 * Two pages are asked for ahead: the next one, and the one after it where it most likely starts. JIDs have no
 * gaps and the server cuts full pages at the same count, so a page after one that spanned N JIDs starts N
 * further on; it is used only when the next page does end there (else dropped, one request wasted). With one
 * page ahead, both sides waited half the time (a first sync of 10,000 files: 110-200 ms a page, 5-30 of them
 * applying it, the rest the server building the next while this side was idle, then the other way round).
 */
export async function pull(state: FolderState, store: ChunkStore, client: JournalClient, first?: ChangesPage): Promise<PullResult> {
  const result: PullResult = {changed: [], head: state.cursor, refused: [], deletedBy: new Map()}
  const asked = new Map<number, Asked>()
  const ask = (since: number): Asked => {
    let answer = asked.get(since)
    if (!answer) {
      answer = client.changes(since, {inline: INLINE_BYTES}).then(
        (page) => ({page}),
        (error: unknown) => {
          if (!(error instanceof ClientTooOldError)) throw error
          return {stoppedBy: error}
        },
      )
      // Handled when awaited; one asked ahead and never used must not count as unhandled either.
      answer.catch(() => {})
      asked.set(since, answer)
    }
    return answer
  }
  const take = async (since: number): Promise<ChangesPage | undefined> => {
    const answer = await ask(since)
    for (const key of asked.keys()) if (key <= since) asked.delete(key)
    if ('page' in answer) return answer.page
    result.stoppedBy = answer.stoppedBy
    return undefined
  }
  let page = first ?? (await take(state.cursor))
  const until = page?.head ?? state.cursor
  let span: number | undefined
  while (page) {
    const from = Math.max(state.cursor, page.last)
    const more = page.more && page.last < until
    if (more) {
      void ask(from)
      if (span && from + span < until) void ask(from + span)
    }
    await applyPage(page, state, store, client, result)
    if (!more) break
    page = await take(from)
    span = page && page.more ? page.last - from : undefined
  }
  await state.save()
  return result
}
