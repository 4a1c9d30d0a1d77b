/** Commit items in JSON (docs/protocol.md, POST commit), as the client writes them; results are read in read-answers.ts. */
import type {EditOp} from '../manifest/edits.js'
import type {Manifest} from '../manifest/manifest.js'
import type {TreeRef} from '../manifest/id-tree.js'
import {editsToWire, manifestToWire} from '../manifest/wire.js'
import type {WireCommitItem} from '../protocol/commit-request.js'
import type {JournalEntry} from './journal-entry.js'

/**
 * A change to commit: a version in full (`manifest`), as edits of the base's ids, as the root of its ids' tree
 * (a file of many chunks; `introduces` names the nodes and chunks the base's tree did not have, which the client
 * may send inline; it does not travel), or a deletion.
 */
export type CommitItem = {path: string; base: number | null; from?: {path: string; base: number}} & (
  | {manifest: Manifest}
  | {edits: EditOp[]; size: number; exec: boolean}
  | {tree: TreeRef; size: number; exec: boolean; introduces: Iterable<string>}
  | {deleted: true}
)

export type CommitResult =
  /** `from`: the old path, when a move was carried out as a move (absent when it became a plain create). */
  {status: 'committed' | 'unchanged'; jid: number; from?: string} | {status: 'conflict'; head: JournalEntry} | {status: 'missing'; ids: string[]}

/** `inlined`: the positions of the request's inline chunks by id, which edits name instead of their ids (edit refs). */
export function itemToWire(item: CommitItem, inlined?: ReadonlyMap<string, number>): WireCommitItem {
  const wire: WireCommitItem = {path: item.path, base: item.base}
  if (item.from) wire.from = item.from
  if ('manifest' in item) wire.manifest = manifestToWire(item.manifest)
  else if ('tree' in item) wire.manifest = manifestToWire({kind: 'tree', size: item.size, exec: item.exec, tree: item.tree})
  else if ('edits' in item) {
    wire.edits = editsToWire(item.edits, inlined)
    wire.size = item.size
    if (item.exec) wire.exec = true
  } else wire.deleted = true
  return wire
}

/** The chunk ids an item names that the server may lack: the manifest's, or those the edits insert. */
export function itemChunkIds(item: CommitItem): Iterable<string> {
  if ('manifest' in item) return item.manifest.kind === 'file' ? item.manifest.ids : []
  if ('edits' in item) return item.edits.flatMap((op) => op.insert.toHexArray())
  if ('tree' in item) return item.introduces
  return []
}
