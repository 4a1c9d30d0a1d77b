/**
 * The chunk side of a commit's items: which chunks each lacks (a list's ids, or a tree checked node by node), and
 * files of many chunks given as a plain list kept as trees (their nodes stored with the chunks), so that the journal
 * keeps one root per version, whatever the client sent (src/manifest/id-tree.ts).
 */
import {wantsTree, writeTree} from '#src/manifest/id-tree.js'
import type {NamespaceChunks} from '../storage/types.js'
import {checkTree} from './check-tree.js'
import type {PlannedItem} from './commit-rules.js'
import type {ResolvedItem} from './resolve-items.js'
import type {NodeTotals} from './verified-nodes.js'

export async function planChunks(items: ResolvedItem[], chunks: NamespaceChunks, verified: Map<string, NodeTotals>): Promise<PlannedItem[]> {
  const planned: PlannedItem[] = []
  for (const [i, item] of items.entries()) {
    const {manifest} = item
    let missing: string[] = []
    if (manifest?.kind === 'file') missing = await chunks.missing(manifest.ids)
    if (manifest?.kind === 'tree') missing = await checkTree(manifest, chunks, verified, `items.${i}`)
    planned.push({...item, missing})
  }
  return planned
}

/** Turns complete lists of many chunks into trees; returns how many nodes were new to the store. */
export async function keepAsTrees(items: PlannedItem[], chunks: NamespaceChunks): Promise<number> {
  let added = 0
  for (const item of items) {
    const {manifest} = item
    if (manifest?.kind !== 'file' || item.missing.length > 0 || !wantsTree(manifest.ids.length)) continue
    // Stored a window of nodes at a time: a 1 GB text file's are 21 MB.
    const tree = await writeTree(manifest.ids, async (nodes) => {
      added += await chunks.add(nodes)
    })
    item.manifest = {kind: 'tree', size: manifest.size, exec: manifest.exec, tree}
  }
  return added
}
