/**
 * Turns commit items into the manifests they ask for, reading the versions they name: a base or `from.base`
 * must be a JID of this namespace (404) that touched that path (400), and edits apply to the base version's
 * ids (a tree's expanded: as-list.ts; edits of a pruned base make a `stale` item). Versions never change once written, so this runs before the
 * commit's transaction.
 */
import {InvalidInputError, NotFoundError} from '#src/errors/index.js'
import {deletesPath} from '#src/journal/journal-entry.js'
import {applyEdits} from '#src/manifest/edits.js'
import {fileManifest, type StoredManifest} from '#src/manifest/manifest.js'
import {EDITS_MAX_IDS} from '#src/manifest/id-tree.js'
import type {JournalStorage, NamespaceChunks, StoredEntry} from '../storage/types.js'
import {asList} from './as-list.js'
import type {CommitItemRequest} from './commit-request.js'

export interface ResolvedItem {
  path: string
  base: number | null
  from?: {path: string; base: number}
  /** Undefined for a deletion. */
  manifest?: StoredManifest
  /**
   * Edits of a base past retention (pruned): they cannot be applied, and need not be, since a pruned version is
   * never its path's head: the item is a conflict with that head, which the client merges as any other.
   */
  stale?: true
}

async function versionOf(journal: JournalStorage, namespace: string, jid: number, path: string, at: string): Promise<StoredEntry> {
  const entry = await journal.entry(namespace, jid)
  if (!entry) throw new NotFoundError(`${at}: JID ${jid} is not in this namespace`, {jid})
  if (entry.path !== path && entry.from !== path) throw new InvalidInputError(`${at}: JID ${jid} is not a version of ${path}`)
  return entry
}

async function resolveItem(journal: JournalStorage, namespace: string, chunks: NamespaceChunks, item: CommitItemRequest, at: string): Promise<ResolvedItem> {
  const base = item.base === null ? undefined : await versionOf(journal, namespace, item.base, item.path, at)
  if (item.from) await versionOf(journal, namespace, item.from.base, item.from.path, `${at}.from`)
  const resolved: ResolvedItem = {path: item.path, base: item.base, ...(item.from ? {from: item.from} : {})}
  const {change} = item
  if ('manifest' in change) resolved.manifest = change.manifest
  if ('edits' in change) {
    if (base?.pruned) return {...resolved, stale: true}
    if (!base || deletesPath(base, item.path) || base.manifest?.kind === 'symlink' || !base.manifest)
      throw new InvalidInputError(`${at}: edits need a base that is a file`)
    const manifest = await asList(base.manifest, chunks)
    if (!manifest) throw new InvalidInputError(`${at}: edits need a base of at most ${EDITS_MAX_IDS} chunks: send the new version's tree`)
    const ids = applyEdits(manifest.ids, change.edits)
    if (ids.length > change.size || (change.size > 0 && ids.length === 0)) {
      throw new InvalidInputError(`${at}: ${ids.length} chunks cannot make ${change.size} bytes`)
    }
    resolved.manifest = fileManifest(ids, change.size, change.exec)
  }
  return resolved
}

export async function resolveItems(journal: JournalStorage, namespace: string, chunks: NamespaceChunks, items: CommitItemRequest[]): Promise<ResolvedItem[]> {
  const resolved: ResolvedItem[] = []
  for (const [i, item] of items.entries()) resolved.push(await resolveItem(journal, namespace, chunks, item, `items.${i}`))
  return resolved
}
