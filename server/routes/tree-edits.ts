/**
 * The edit script a `changes` answer may send for a tree entry (a file of many chunks) that follows a version of
 * its path: after a tree, found by walking both trees (src/manifest/tree-diff.ts), none expanded; after a plain
 * list (a file that grew past TREE_MIN_IDS), from both expanded (a list holds TREE_MIN_IDS ids at most). Undefined
 * when the edits would be larger than the tree's nodes on the path to them (entry-wire.ts sends the tree then).
 */
import {diffIds, type EditOp} from '#src/manifest/edits.js'
import {EDITS_MAX_IDS} from '#src/manifest/id-tree.js'
import type {StoredManifest, TreeManifest} from '#src/manifest/manifest.js'
import {diffTrees} from '#src/manifest/tree-diff.js'
import {TREE_EDITS_MAX_IDS} from '#src/journal/entry-wire.js'
import {asList} from '../commits/as-list.js'
import type {NamespaceChunks} from '../storage/types.js'

export async function treeEdits(prev: StoredManifest | undefined, current: TreeManifest, chunks: NamespaceChunks): Promise<EditOp[] | undefined> {
  if (current.tree.count > EDITS_MAX_IDS) return undefined
  if (prev?.kind === 'tree') {
    if (prev.tree.count > EDITS_MAX_IDS) return undefined
    return diffTrees(prev.tree, current.tree, (id) => chunks.read(id), TREE_EDITS_MAX_IDS)
  }
  const before = await asList(prev, chunks)
  const after = before && (await asList(current, chunks))
  return after ? diffIds(before.ids, after.ids) : undefined
}
