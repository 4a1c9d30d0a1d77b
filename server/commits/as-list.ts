/**
 * A stored version's ids as a plain list, where edit scripts need one (src/manifest/id-tree.ts, EDITS_MAX_IDS): a
 * list as it is; a tree of at most EDITS_MAX_IDS chunks expanded from the namespace's store; anything else none.
 */
import {EDITS_MAX_IDS} from '#src/manifest/id-tree.js'
import type {FileManifest, StoredManifest} from '#src/manifest/manifest.js'
import type {NamespaceChunks} from '../storage/types.js'
import {versionIds} from '../storage/version-ids.js'

export async function asList(manifest: StoredManifest | undefined, chunks: NamespaceChunks): Promise<FileManifest | undefined> {
  if (manifest?.kind === 'file') return manifest
  if (manifest?.kind !== 'tree' || manifest.tree.count > EDITS_MAX_IDS) return undefined
  return {kind: 'file', size: manifest.size, exec: manifest.exec, ids: await versionIds(manifest, chunks)}
}
