/**
 * Parses a commit request body (docs/protocol.md, POST commit) and checks everything that needs no storage:
 * shapes, paths, ids, the one-change-per-item rule, the size of the inline chunk bytes. Any problem rejects
 * the whole request before anything is written.
 */
import {commitBodySchema, type WireCommitItem} from '#src/protocol/commit-request.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {InvalidInputError, TooLargeError} from '#src/errors/index.js'
import {inlineFromWire, type InlineWire} from '#src/journal/inline-wire.js'
import type {EditOp} from '#src/manifest/edits.js'
import type {StoredManifest} from '#src/manifest/manifest.js'
import {editsFromWire, manifestFromWire} from '#src/manifest/wire.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import {checkPath} from '#src/paths/validate-path.js'
import {parseWith} from '../http/parse-with.js'
import type {ProtocolLimits} from '#src/protocol/limits.js'

export type ItemChange = {manifest: StoredManifest} | {edits: EditOp[]; size: number; exec: boolean} | {deleted: true}

export interface CommitItemRequest {
  path: string
  base: number | null
  from?: {path: string; base: number}
  change: ItemChange
}

export interface CommitRequest {
  device: string
  /** The committing client's random id: its own long-poll is not woken by this commit. */
  client?: string
  items: CommitItemRequest[]
  inline: PackChunk[]
}

function parseChange(item: WireCommitItem, at: string, inlineIds: readonly string[]): ItemChange {
  const given = [item.manifest !== undefined, item.edits !== undefined, item.deleted !== undefined].filter(Boolean).length
  if (given !== 1) throw new InvalidInputError(`${at}: give exactly one of manifest, edits or deleted`)
  if (item.edits === undefined && (item.size !== undefined || item.exec !== undefined)) {
    throw new InvalidInputError(`${at}: size and exec go with edits (a manifest carries its own)`)
  }
  if (item.manifest !== undefined) return {manifest: manifestFromWire(item.manifest)}
  if (item.edits !== undefined) {
    if (item.size === undefined) throw new InvalidInputError(`${at}: edits need the new size`)
    if (item.base === null) throw new InvalidInputError(`${at}: edits need a base to apply to`)
    return {edits: editsFromWire(item.edits, inlineIds), size: item.size, exec: item.exec === true}
  }
  if (item.from !== undefined) throw new InvalidInputError(`${at}: a move cannot be a deletion`)
  return {deleted: true}
}

/** The inline chunks with the ids their bytes hash to (the wire names none: nothing to mismatch). */
function parseInline(wire: InlineWire, limit: number): PackChunk[] {
  const chunks = inlineFromWire(wire)
  if (chunks.reduce((total, bytes) => total + bytes.length, 0) > limit) throw new TooLargeError('the inline chunk bytes', limit)
  return chunks.map((bytes) => ({id: sha256Hex(bytes), bytes}))
}

export function parseCommitRequest(body: unknown, limits: ProtocolLimits): CommitRequest {
  const parsed = parseWith(commitBodySchema, body, 'commit')
  if (parsed.items.length > limits.commitItems) throw new InvalidInputError(`at most ${limits.commitItems} items per commit`)
  const inline = parseInline(parsed, limits.commitInline)
  // Edits may name their inserted chunks by position among these (edit refs).
  const inlineIds = inline.map((chunk) => chunk.id)
  const items = parsed.items.map((item, i): CommitItemRequest => {
    const at = `items.${i}`
    const path = checkPath(item.path)
    const change = parseChange(item, at, inlineIds)
    if (!item.from) return {path, base: item.base, change}
    if (checkPath(item.from.path) === path) throw new InvalidInputError(`${at}: a move needs another path to come from`)
    return {path, base: item.base, from: item.from, change}
  })
  return {device: parsed.device ?? 'unknown', ...(parsed.client ? {client: parsed.client} : {}), items, inline}
}
