/**
 * Journal entries in JSON (docs/protocol.md, Journal entries): the server writes them, clients read them.
 * A file's ids travel in full, as an edit script relative to the entry's `prev` version when that is smaller,
 * or not at all (the `log` route). Reading checks everything, the paths included: a peer is never trusted.
 */
import {InvalidInputError, InvalidPathError} from '../errors/index.js'
import {diffIds, type EditOp} from '../manifest/edits.js'
import type {StoredManifest} from '../manifest/manifest.js'
import {editsFromWire, editsToWire, idsToWire, plainManifestFromWire, treeFromWire, treeToWire, type WireEditOp} from '../manifest/wire.js'
import {checkPath} from '../paths/validate-path.js'
import type {JournalEntry} from './journal-entry.js'

export interface WireEntry {
  jid: number
  path: string
  prev: number | null
  kind: JournalEntry['kind']
  from?: string
  size?: number
  exec?: true
  ids?: string
  edits?: WireEditOp[]
  tree?: string
  depth?: number
  count?: number
  target?: string
  /** The version is past retention: no ids, tree or target. */
  pruned?: true
  device: string
  time: number
}

/** How a file's ids are written: in full, not at all, or as edits from `prev`'s manifest when that is smaller. */
export type IdsForm = 'full' | 'none' | {prev: StoredManifest | undefined}

const base64Length = (ids: number) => Math.ceil((ids * 32) / 3) * 4
/** JSON around one edit op: `[123456,12,""],`. */
const OP_OVERHEAD = 16

function smallerEdits(manifest: StoredManifest, prev: StoredManifest | undefined): EditOp[] | undefined {
  if (manifest.kind !== 'file' || prev?.kind !== 'file') return undefined
  const ops = diffIds(prev.ids, manifest.ids)
  const size = ops.reduce((total, op) => total + OP_OVERHEAD + base64Length(op.insert.length), 0)
  return size < base64Length(manifest.ids.length) ? ops : undefined
}

/** An entry as the server keeps it: files of many chunks as trees. */
export type EntrySource = Omit<JournalEntry, 'manifest' | 'tree' | 'edits'> & {manifest?: StoredManifest}

/** The wire form of a stored entry (one whose `manifest` is set unless it is a deletion). */
export function entryToWire(entry: EntrySource, form: IdsForm): WireEntry {
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
    if (form !== 'none') Object.assign(wire, treeToWire(manifest.tree))
  }
  if (manifest?.kind === 'file') {
    wire.size = manifest.size
    if (manifest.exec) wire.exec = true
    const edits = typeof form === 'object' ? smallerEdits(manifest, form.prev) : undefined
    if (edits) wire.edits = editsToWire(edits)
    else if (form !== 'none') wire.ids = idsToWire(manifest.ids)
  }
  return wire
}

const KINDS = new Set(['file', 'symlink', 'deleted'])

function malformed(what: string): never {
  throw new InvalidInputError(`malformed journal entry from the server: ${what}`)
}

const isJid = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0

export function entryFromWire(value: unknown): JournalEntry {
  if (value === null || typeof value !== 'object') malformed('not an object')
  const wire = value as Record<string, unknown>
  const {jid, path, prev, kind, from, device, time, pruned} = wire
  if (!isJid(jid)) malformed('jid')
  if (typeof path !== 'string') malformed('path')
  if (prev !== null && (!isJid(prev) || prev >= jid)) malformed('prev')
  if (typeof kind !== 'string' || !KINDS.has(kind)) malformed('kind')
  if (typeof device !== 'string' || typeof time !== 'number') malformed('device or time')
  if (from !== undefined && typeof from !== 'string') malformed('from')
  if (pruned !== undefined && (pruned !== true || kind === 'deleted')) malformed('pruned')
  const entry: JournalEntry = {jid, path: checkPath(path), prev, kind: kind as JournalEntry['kind'], device, time}
  if (from !== undefined) entry.from = checkPath(from)
  if (pruned) entry.pruned = true
  if (kind === 'symlink' && !pruned) entry.manifest = plainManifestFromWire({kind, target: wire.target})
  if (kind === 'file') {
    const {size, exec} = wire
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) malformed('size')
    if (exec !== undefined && typeof exec !== 'boolean') malformed('exec')
    entry.size = size
    entry.exec = exec === true
    if (pruned) return entry
    if (wire.ids !== undefined) entry.manifest = plainManifestFromWire({kind, size, exec, ids: wire.ids})
    else if (wire.edits !== undefined) entry.edits = editsFromWire(wire.edits)
    else if (wire.tree !== undefined) {
      entry.tree = treeFromWire(wire, 'journal entry')
      if (entry.tree.count > size) malformed('tree count')
    }
  }
  return entry
}

/** An entry of a `changes` page that names a path no client may write. */
export interface RefusedEntry {
  path: string
  reason: string
  /** The entry took that path away (a deletion, or the old path of a move). */
  gone: boolean
}

/**
 * An entry of a `changes` page: one that names a path no client may write is refused, not fatal, so that one
 * bad entry cannot stop a device from syncing anything after it. A move whose old path is refused stands as a
 * plain create of its new path. Anything else malformed still throws: the page as a whole is not to be trusted.
 */
export function pageEntryFromWire(value: unknown): {entry?: JournalEntry; refused: RefusedEntry[]} {
  try {
    return {entry: entryFromWire(value), refused: []}
  } catch (error) {
    if (!(error instanceof InvalidPathError)) throw error
    const wire = value as Record<string, unknown> & {path: string; from?: string}
    if (error.path === wire.path) return {refused: [{path: wire.path, reason: error.reason, gone: wire.kind === 'deleted'}]}
    const {from: _refused, ...create} = wire
    return {entry: entryFromWire(create), refused: [{path: error.path, reason: error.reason, gone: true}]}
  }
}
