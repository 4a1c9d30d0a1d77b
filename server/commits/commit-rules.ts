/**
 * Compare-and-set, the protocol's rules (docs/protocol.md, POST commit), run inside the commit's transaction so
 * that no other commit comes between the check and the write. For an item on path P whose head is H:
 *   1. equal content to H (or deleting an absent path) -> unchanged;
 *   2. base = H -> commit;
 *   3. H leaves P absent and the item is not a deletion -> commit (an edit beats a delete; nothing is overwritten);
 *   4. otherwise -> conflict.
 * A move first needs its old path still at `from.base` (else conflict), or already gone (then a plain create).
 * A file or symlink needs its place free: no present file or symlink at a folder above it, no present path
 * below it; else conflict with the blocking path's head (the client resolves the clash from it).
 * An item that would commit but whose chunks the namespace lacks is `missing`. Items go in order, each seeing
 * the writes of the ones before.
 */
import {deletesPath} from '#src/journal/journal-entry.js'
import {manifestsEqual, type StoredManifest} from '#src/manifest/manifest.js'
import type {JournalView, NewEntry, ReadSet, StoredEntry} from '../storage/types.js'
import type {ResolvedItem} from './resolve-items.js'

export interface PlannedItem extends ResolvedItem {
  /** The manifest's chunk ids the namespace lacked when the request came in (durable ones count as present). */
  missing: string[]
}

export type ItemOutcome =
  /** `from` is set when a move was carried out as one (not when its old path was already gone: a plain create). */
  {status: 'committed' | 'unchanged'; jid: number; from?: string} | {status: 'conflict'; head: StoredEntry} | {status: 'missing'; ids: string[]}

/** The head of a present path that leaves no room for a file at `path` (other than `leaving`, moved away), if any. */
function blockerOf(view: JournalView, path: string, leaving: string | undefined): StoredEntry | undefined {
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    const above = path.slice(0, slash)
    if (above === leaving) continue
    const head = view.head(above)
    if (head && !deletesPath(head, above)) return head
  }
  return view.presentUnder(path, leaving)
}

const entryKindOf = (manifest: StoredManifest | undefined) => (manifest === undefined ? 'deleted' : manifest.kind === 'symlink' ? 'symlink' : 'file')

function applyItem(view: JournalView, item: PlannedItem, stamp: {device: string; time: number}): ItemOutcome {
  // Its base is older than its path's head (a pruned version never is one): nothing else to judge.
  if (item.stale) return {status: 'conflict', head: view.head(item.path)!}
  let moveFrom: StoredEntry | undefined
  if (item.from) {
    const old = view.head(item.from.path)
    if (old && !deletesPath(old, item.from.path)) {
      if (old.jid !== item.from.base) return {status: 'conflict', head: old}
      moveFrom = old
    }
  }
  const head = view.head(item.path)
  const present = head !== undefined && !deletesPath(head, item.path)
  if (!moveFrom) {
    if (!item.manifest && !present) return {status: 'unchanged', jid: head?.jid ?? 0}
    if (item.manifest && present && manifestsEqual(head.manifest, item.manifest)) return {status: 'unchanged', jid: head.jid}
  }
  // With no head the base can only be null (resolve-items checked that it names a version of this path).
  if (head && item.base !== head.jid && (present || !item.manifest)) return {status: 'conflict', head}
  // A present path's place was checked when it came: nothing could take the folders above it or go under it since.
  const blocker = item.manifest && !present && blockerOf(view, item.path, moveFrom && item.from!.path)
  if (blocker) return {status: 'conflict', head: blocker}
  if (item.missing.length > 0) return {status: 'missing', ids: item.missing}
  const entry: NewEntry = {path: item.path, prev: head?.jid ?? null, kind: entryKindOf(item.manifest), ...stamp}
  if (item.manifest) entry.manifest = item.manifest
  if (moveFrom) {
    entry.from = item.from!.path
    entry.fromPrev = moveFrom.jid
  }
  const jid = view.append(entry)
  return moveFrom ? {status: 'committed', jid, from: entry.from!} : {status: 'committed', jid}
}

/** What applyItems may read: each item's path and old path, and for a file or symlink the folders above it and what is under it. */
export function readSetOf(items: readonly PlannedItem[]): ReadSet {
  const heads = new Set<string>()
  const under = new Set<string>()
  for (const item of items) {
    heads.add(item.path)
    if (item.from) heads.add(item.from.path)
    if (!item.manifest) continue
    under.add(item.path)
    for (let slash = item.path.indexOf('/'); slash !== -1; slash = item.path.indexOf('/', slash + 1)) heads.add(item.path.slice(0, slash))
  }
  return {heads, under, appends: items.length}
}

export function applyItems(view: JournalView, items: PlannedItem[], stamp: {device: string; time: number}): ItemOutcome[] {
  return items.map((item) => applyItem(view, item, stamp))
}
