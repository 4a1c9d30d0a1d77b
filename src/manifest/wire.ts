/**
 * Manifests and edit scripts as they travel in JSON (docs/protocol.md): ids as one base64 string of
 * concatenated 32-byte ids (44 bytes per id, against 67 for a JSON array of hex strings). Parsing validates
 * shape and sizes and throws InvalidInputError: a peer's bytes are never trusted.
 */
import {ID_BYTES, isChunkId} from '../chunk/chunk-id.js'
import {IdList} from '../chunk/id-list.js'
import {InvalidInputError} from '../errors/index.js'
import type {EditOp} from './edits.js'
import {checkTreeRef, type TreeRef} from './id-tree.js'
import type {Manifest, StoredManifest, TreeManifest} from './manifest.js'

/** A file's ids in full (`ids`) or as the root of their tree (`tree`, `depth`, `count`: docs/protocol.md). */
export interface WireFileManifest {
  kind: 'file'
  size: number
  exec?: boolean
  ids?: string
  tree?: string
  depth?: number
  count?: number
}

export interface WireSymlinkManifest {
  kind: 'symlink'
  target: string
}

export type WireManifest = WireFileManifest | WireSymlinkManifest

/**
 * [at, remove, inserted ids as base64], or [at, remove, [positions]]: the inserted chunks named by their
 * position among the same body's inline chunks (docs/protocol.md, edit refs), whose ids the receiver computes.
 */
export type WireEditOp = [number, number, string | number[]]

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const MAX_TARGET_BYTES = 4096

export function idsToWire(ids: IdList): string {
  return ids.toBuffer().toString('base64')
}

export function idsFromWire(value: unknown, what = 'ids'): IdList {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new InvalidInputError(`${what}: expected base64 of 32-byte ids`)
  const bytes = Buffer.from(value, 'base64')
  if (bytes.length % ID_BYTES !== 0) throw new InvalidInputError(`${what}: ${bytes.length} bytes is not a whole number of 32-byte ids`)
  return IdList.fromBuffer(bytes)
}

/** The tree fields of a wire manifest or entry. */
export function treeToWire(tree: TreeRef): {tree: string; depth: number; count: number} {
  return {tree: tree.root, depth: tree.depth, count: tree.count}
}

export function treeFromWire(wire: Record<string, unknown>, what: string): TreeRef {
  const {tree, depth, count} = wire
  if (typeof tree !== 'string' || !isChunkId(tree)) throw new InvalidInputError(`${what}: tree must be a chunk id`)
  const ref = {root: tree, depth, count} as TreeRef
  checkTreeRef(ref, what)
  return ref
}

export function manifestToWire(manifest: StoredManifest): WireManifest {
  if (manifest.kind === 'symlink') return {kind: 'symlink', target: manifest.target}
  if (manifest.kind === 'tree') return {kind: 'file', size: manifest.size, ...(manifest.exec ? {exec: true} : {}), ...treeToWire(manifest.tree)}
  return {kind: 'file', size: manifest.size, ...(manifest.exec ? {exec: true} : {}), ids: idsToWire(manifest.ids)}
}

export function manifestFromWire(value: unknown): StoredManifest {
  if (value === null || typeof value !== 'object') throw new InvalidInputError('manifest: expected an object')
  const wire = value as Record<string, unknown>
  if (wire.kind === 'symlink') {
    const {target} = wire
    if (typeof target !== 'string' || target.length === 0 || target.includes('\u0000') || Buffer.byteLength(target) > MAX_TARGET_BYTES) {
      throw new InvalidInputError('manifest: a symlink needs a target of 1-4096 bytes without NUL')
    }
    return {kind: 'symlink', target}
  }
  if (wire.kind !== 'file') throw new InvalidInputError("manifest: kind must be 'file' or 'symlink'")
  const {size, exec} = wire
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new InvalidInputError('manifest: size must be a whole number >= 0')
  if (exec !== undefined && typeof exec !== 'boolean') throw new InvalidInputError('manifest: exec must be a boolean')
  if (wire.tree !== undefined) return treeManifestFromWire(wire, size, exec === true)
  const ids = idsFromWire(wire.ids, 'manifest ids')
  if (ids.length > size || (size > 0 && ids.length === 0)) throw new InvalidInputError(`manifest: ${ids.length} chunks cannot make ${size} bytes`)
  return {kind: 'file', size, exec: exec === true, ids}
}

/** `inlined`: the position of each chunk the same body carries inline; an insert made only of those names them so. */
export function editsToWire(ops: readonly EditOp[], inlined?: ReadonlyMap<string, number>): WireEditOp[] {
  return ops.map((op) => [op.at, op.remove, insertToWire(op.insert, inlined)])
}

function insertToWire(insert: IdList, inlined: ReadonlyMap<string, number> | undefined): string | number[] {
  if (!inlined || insert.length === 0) return idsToWire(insert)
  const positions = insert.toHexArray().map((id) => inlined.get(id))
  return positions.every((at) => at !== undefined) ? (positions as number[]) : idsToWire(insert)
}

/** `inlineIds`: the ids of the body's inline chunks, in their wire order; without them positions are refused. */
export function editsFromWire(value: unknown, inlineIds: readonly string[] = []): EditOp[] {
  if (!Array.isArray(value)) throw new InvalidInputError('edits: expected an array of [at, remove, ids]')
  return value.map((item, i) => {
    if (!Array.isArray(item) || item.length !== 3) throw new InvalidInputError(`edits[${i}]: expected [at, remove, ids]`)
    const [at, remove, ids] = item as unknown[]
    if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0) throw new InvalidInputError(`edits[${i}]: bad position`)
    if (typeof remove !== 'number' || !Number.isSafeInteger(remove) || remove < 0) throw new InvalidInputError(`edits[${i}]: bad count`)
    return {at, remove, insert: Array.isArray(ids) ? inlinedIds(ids, inlineIds, `edits[${i}]`) : idsFromWire(ids, `edits[${i}] ids`)}
  })
}

function inlinedIds(positions: unknown[], inlineIds: readonly string[], what: string): IdList {
  if (positions.length === 0) throw new InvalidInputError(`${what}: an empty list of inline positions (give "" for no ids)`)
  const ids = positions.map((at) => {
    if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0 || at >= inlineIds.length)
      throw new InvalidInputError(`${what}: ${String(at)} is not the position of an inline chunk of this body (${inlineIds.length} given)`)
    return inlineIds[at]
  })
  return IdList.fromHex(ids)
}

/** A manifest given in full (ids or a symlink target): what a client reads where no tree can stand. */
export function plainManifestFromWire(value: unknown): Manifest {
  const manifest = manifestFromWire(value)
  if (manifest.kind === 'tree') throw new InvalidInputError('manifest: expected ids, not a tree')
  return manifest
}

function treeManifestFromWire(wire: Record<string, unknown>, size: number, exec: boolean): TreeManifest {
  if (wire.ids !== undefined) throw new InvalidInputError('manifest: give ids or a tree, not both')
  const tree = treeFromWire(wire, 'manifest')
  if (tree.count > size) throw new InvalidInputError(`manifest: ${tree.count} chunks cannot make ${size} bytes`)
  return {kind: 'tree', size, exec, tree}
}
