/**
 * Checks the tree a commit item names (src/manifest/id-tree.ts) against the namespace's chunks: every node
 * present and a list of ids, every chunk its leaves list present, and the whole adding up to the count and size
 * the version claims (a claim of 10^12 bytes over a few chunks is refused, as check-sizes.ts does for lists).
 * Returns the ids the namespace lacks (nodes, or chunks below nodes it has), at most MAX_MISSING: the client
 * sends those and commits again. Nodes checked before are taken as checked (verified-nodes.ts).
 */
import {IdList} from '#src/chunk/id-list.js'
import {InvalidInputError} from '#src/errors/index.js'
import {nodeIds} from '#src/manifest/id-tree.js'
import type {TreeManifest} from '#src/manifest/manifest.js'
import type {NamespaceChunks} from '../storage/types.js'
import {remember, type NodeTotals} from './verified-nodes.js'

const MAX_MISSING = 10_000

type NodeCheck = NodeTotals | {missing: string[]}

export async function checkTree(manifest: TreeManifest, chunks: NamespaceChunks, verified: Map<string, NodeTotals>, at: string): Promise<string[]> {
  const check = async (id: string, depth: number): Promise<NodeCheck> => {
    const key = `${depth}:${id}`
    const known = verified.get(key)
    if (known) return known
    if ((await chunks.length(id)) === undefined) return {missing: [id]}
    const ids = IdList.fromBuffer(nodeIds(await chunks.read(id), id))
    let totals: NodeTotals = {count: 0, bytes: 0}
    if (depth === 0) {
      const absent = await chunks.missing(ids)
      if (absent.length > 0) return {missing: absent}
      totals.bytes = (await chunks.totalLength(ids))!
      totals.count = ids.length
    } else {
      const below: string[] = []
      for (let k = 0; k < ids.length && below.length < MAX_MISSING; k++) {
        const child = await check(ids.hexAt(k), depth - 1)
        if ('missing' in child) below.push(...child.missing)
        else totals = {count: totals.count + child.count, bytes: totals.bytes + child.bytes}
      }
      if (below.length > 0) return {missing: below}
    }
    if (!Number.isSafeInteger(totals.count) || !Number.isSafeInteger(totals.bytes)) throw new InvalidInputError(`${at}: its tree lists too much`)
    remember(verified, key, totals)
    return totals
  }
  const {tree, size} = manifest
  const root = await check(tree.root, tree.depth)
  if ('missing' in root) return root.missing.slice(0, MAX_MISSING)
  if (root.count !== tree.count) throw new InvalidInputError(`${at}: its tree lists ${root.count} chunks, not the ${tree.count} it claims`)
  if (root.bytes !== size) throw new InvalidInputError(`${at}: its chunks make ${root.bytes} bytes, not the ${size} it claims`)
  return []
}
