/**
 * A file version: ordered chunk ids + size + executable bit for a file, or a link target for a symlink.
 * An empty file is a manifest with no chunks; a deleted file is not a manifest at all (a tombstone in the
 * journal). They are different things everywhere.
 */
import {IdList} from '../chunk/id-list.js'
import type {TreeRef} from './id-tree.js'

export interface FileManifest {
  kind: 'file'
  size: number
  exec: boolean
  ids: IdList
}

export interface SymlinkManifest {
  kind: 'symlink'
  target: string
}

export type Manifest = FileManifest | SymlinkManifest

/** A file version whose ids are a tree of list chunks (id-tree.ts): how the server keeps files of many chunks. */
export interface TreeManifest {
  kind: 'tree'
  size: number
  exec: boolean
  tree: TreeRef
}

/** A version as the server keeps it: files of many chunks as trees, the rest as they are. */
export type StoredManifest = Manifest | TreeManifest

export function fileManifest(ids: IdList, size: number, exec = false): FileManifest {
  return {kind: 'file', size, exec, ids}
}

export function manifestsEqual(a: StoredManifest | undefined, b: StoredManifest | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  if (a.kind === 'tree' || b.kind === 'tree') {
    if (a.kind !== 'tree' || b.kind !== 'tree') return false
    const [x, y] = [a.tree, b.tree]
    return a.size === b.size && a.exec === b.exec && x.root === y.root && x.depth === y.depth && x.count === y.count
  }
  if (a.kind === 'symlink' || b.kind === 'symlink') return a.kind === b.kind && (a as SymlinkManifest).target === (b as SymlinkManifest).target
  return a.size === b.size && a.exec === b.exec && a.ids.equals(b.ids)
}

/** Same bytes (ignoring the executable bit): what rename detection and merges compare. */
export function sameContent(a: Manifest | undefined, b: Manifest | undefined): boolean {
  if (a?.kind === 'file' && b?.kind === 'file') return a.size === b.size && a.ids.equals(b.ids)
  return manifestsEqual(a, b)
}
