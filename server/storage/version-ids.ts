/** The chunk ids of a stored file version, its tree (docs/protocol.md, Tree manifests) expanded with the store's nodes. */
import type {IdList} from '#src/chunk/id-list.js'
import {MissingChunksError} from '#src/errors/index.js'
import {expandTree} from '#src/manifest/id-tree.js'
import type {FileManifest, TreeManifest} from '#src/manifest/manifest.js'
import type {NamespaceChunks} from './types.js'

/** A node the store lacks throws MissingChunksError naming the absent nodes of its level. */
export function versionIds(manifest: FileManifest | TreeManifest, chunks: NamespaceChunks): Promise<IdList> {
  if (manifest.kind === 'file') return Promise.resolve(manifest.ids)
  return expandTree(manifest.tree, async (level) => {
    const absent = await chunks.missing(level)
    if (absent.length > 0) throw new MissingChunksError(absent)
    return Promise.all(level.map((id) => chunks.read(id)))
  })
}
