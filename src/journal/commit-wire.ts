/** Commit items and results in JSON (docs/protocol.md, POST commit), as the client writes and reads them. */
import {isChunkId} from '../chunk/chunk-id.js'
import {InvalidInputError} from '../errors/index.js'
import type {EditOp} from '../manifest/edits.js'
import type {Manifest} from '../manifest/manifest.js'
import {editsToWire, manifestToWire} from '../manifest/wire.js'
import {entryFromWire} from './entry-wire.js'
import type {JournalEntry} from './journal-entry.js'

export type CommitItem = {path: string; base: number | null; from?: {path: string; base: number}} & (
  {manifest: Manifest} | {edits: EditOp[]; size: number; exec: boolean} | {deleted: true}
)

export type CommitResult =
  /** `from`: the old path, when a move was carried out as a move (absent when it became a plain create). */
  {status: 'committed' | 'unchanged'; jid: number; from?: string} | {status: 'conflict'; head: JournalEntry} | {status: 'missing'; ids: string[]}

export function itemToWire(item: CommitItem): Record<string, unknown> {
  const wire: Record<string, unknown> = {path: item.path, base: item.base}
  if (item.from) wire.from = item.from
  if ('manifest' in item) wire.manifest = manifestToWire(item.manifest)
  else if ('edits' in item) {
    wire.edits = editsToWire(item.edits)
    wire.size = item.size
    if (item.exec) wire.exec = true
  } else wire.deleted = true
  return wire
}

/** The chunk ids an item names that the server may lack: the manifest's, or those the edits insert. */
export function itemChunkIds(item: CommitItem): Iterable<string> {
  if ('manifest' in item) return item.manifest.kind === 'file' ? item.manifest.ids : []
  if ('edits' in item) return item.edits.flatMap((op) => op.insert.toHexArray())
  return []
}

function malformed(): never {
  throw new InvalidInputError('malformed commit result from the server')
}

export function resultFromWire(value: unknown): CommitResult {
  if (value === null || typeof value !== 'object') malformed()
  const wire = value as Record<string, unknown>
  if (wire.status === 'committed' || wire.status === 'unchanged') {
    if (typeof wire.jid !== 'number' || !Number.isSafeInteger(wire.jid) || wire.jid < 0) malformed()
    if (wire.from !== undefined && typeof wire.from !== 'string') malformed()
    return {status: wire.status, jid: wire.jid, ...(typeof wire.from === 'string' ? {from: wire.from} : {})}
  }
  if (wire.status === 'conflict') return {status: 'conflict', head: entryFromWire(wire.head)}
  if (wire.status === 'missing' && Array.isArray(wire.ids) && wire.ids.every((id) => typeof id === 'string' && isChunkId(id))) {
    return {status: 'missing', ids: wire.ids as string[]}
  }
  return malformed()
}
