/**
 * A device keeps the tree nodes (src/manifest/id-tree.ts) of the versions of files of many chunks it holds, so
 * that a later move or edit of such a file names nodes it has: a version that came as an edit script, or was
 * hashed here, has no nodes until they are built again from its ids (by content, the same on every device).
 * The nodes go to the store as they are cut, a window at a time: a 1 GB text file's are 21 MB.
 */
import {IdList} from '../chunk/id-list.js'
import {wantsTree, writeTree, type TreeRef} from '../manifest/id-tree.js'
import type {ChunkStore} from '../store/chunk-store.js'

/** Builds the tree of `ids` and puts the nodes the store lacks in it; undefined when `ids` make no tree. */
export async function keepTreeNodes(ids: IdList, store: ChunkStore): Promise<{ref: TreeRef; nodes: IdList} | undefined> {
  if (!wantsTree(ids.length)) return undefined
  const nodes = new IdList()
  const ref = await writeTree(ids, async (cut) => {
    for (const node of cut) {
      nodes.pushHex(node.id)
      if (!store.has(node.id)) store.add(node.bytes)
      if (store.needsDrain) await store.drain()
    }
  })
  return {ref, nodes}
}
