/**
 * Journal entries in JSON (docs/protocol.md, Journal entries), as the server writes them (their shape:
 * src/protocol/answers.ts; clients read them in read-answers.ts). A file's ids travel in full, as an edit script
 * relative to the entry's `prev` version when that is smaller, as the root of their tree, or not at all (`log`).
 */
import {diffIds, type EditOp} from '../manifest/edits.js'
import type {StoredManifest} from '../manifest/manifest.js'
import {editsToWire, idsToWire, treeToWire} from '../manifest/wire.js'
import type {WireEntry} from '../protocol/answers.js'
import type {JournalEntry} from './journal-entry.js'

export type {WireEntry} from '../protocol/answers.js'

/**
 * How a file's ids are written: in full, not at all, or as edits from `prev`'s manifest when that is smaller. A
 * tree entry is written as edits only when the server found them (`treeEdits`: server/routes/tree-edits.ts) and
 * they are under TREE_EDITS_BYTES; else as its tree.
 */
export type IdsForm = 'full' | 'none' | {prev: StoredManifest | undefined; treeEdits?: EditOp[]}

const base64Length = (ids: number) => Math.ceil((ids * 32) / 3) * 4
/** JSON around one edit op: `[123456,12,""],`. */
const OP_OVERHEAD = 16

/** Edits of a tree entry past this are not worth it: its nodes on the path to the changes cost less. */
const TREE_EDITS_BYTES = 64 * 1024
/** The most ids a tree entry's edits can insert and stay under TREE_EDITS_BYTES (a finder may stop past it). */
export const TREE_EDITS_MAX_IDS = Math.floor(((TREE_EDITS_BYTES - OP_OVERHEAD) * 3) / 4 / 32)

/** `ops` when they are smaller than `limit` and than the `count` ids in full. */
function ifSmaller(ops: EditOp[], count: number, limit = Infinity): EditOp[] | undefined {
  const size = ops.reduce((total, op) => total + OP_OVERHEAD + base64Length(op.insert.length), 0)
  return size < Math.min(limit, base64Length(count)) ? ops : undefined
}

function smallerEdits(manifest: StoredManifest, prev: StoredManifest | undefined): EditOp[] | undefined {
  if (manifest.kind !== 'file' || prev?.kind !== 'file') return undefined
  return ifSmaller(diffIds(prev.ids, manifest.ids), manifest.ids.length)
}

/** An entry as the server keeps it: files of many chunks as trees. */
export type EntrySource = Omit<JournalEntry, 'manifest' | 'tree' | 'edits'> & {manifest?: StoredManifest}

/** The wire form of a stored entry (one whose `manifest` is set unless it is a deletion). */
/** `inlined`: the positions of the answer's inline chunks by id, for a reader that takes edit refs. */
export function entryToWire(entry: EntrySource, form: IdsForm, inlined?: ReadonlyMap<string, number>): WireEntry {
  const wire: WireEntry = {jid: entry.jid, path: entry.path, prev: entry.prev, kind: entry.kind, device: entry.device, time: entry.time}
  if (entry.from !== undefined) wire.from = entry.from
  if (entry.pruned) {
    wire.pruned = true
    if (entry.size !== undefined) wire.size = entry.size
    if (entry.exec) wire.exec = true
  }
  const manifest = entry.manifest
  if (manifest?.kind === 'symlink') wire.target = manifest.target
  if (manifest?.kind === 'tree') {
    wire.size = manifest.size
    if (manifest.exec) wire.exec = true
    const edits = typeof form === 'object' && form.treeEdits ? ifSmaller(form.treeEdits, manifest.tree.count, TREE_EDITS_BYTES) : undefined
    if (edits) wire.edits = editsToWire(edits, inlined)
    else if (form !== 'none') Object.assign(wire, treeToWire(manifest.tree))
  }
  if (manifest?.kind === 'file') {
    wire.size = manifest.size
    if (manifest.exec) wire.exec = true
    const edits = typeof form === 'object' ? smallerEdits(manifest, form.prev) : undefined
    if (edits) wire.edits = editsToWire(edits, inlined)
    else if (form !== 'none') wire.ids = idsToWire(manifest.ids)
  }
  return wire
}
