/**
 * Tree nodes (src/manifest/id-tree.ts) already checked complete in a namespace: present, well formed, every chunk
 * below them present, with the ids and bytes they add up to. A version of a big file then costs a check of its
 * new nodes only (an edit: one per level; a move: none). Kept in memory, bounded; forgotten when the namespace's
 * chunk store recovers from a failed write (chunks counted present may be gone), and rebuilt as commits need it.
 */
import type {NamespaceChunks} from '../storage/types.js'

export interface NodeTotals {
  /** Chunk ids below the node (repeats counted). */
  count: number
  /** Bytes of those chunks. */
  bytes: number
}

const MAX_NODES_PER_NAMESPACE = 200_000

class NamespaceNodes {
  readonly nodes = new Map<string, NodeTotals>()
  constructor(public recoveries: number) {}
}

export class VerifiedNodes {
  private readonly namespaces = new Map<string, NamespaceNodes>()

  /** The nodes known complete in `namespace`, as of its store's current state. */
  of(namespace: string, chunks: NamespaceChunks): Map<string, NodeTotals> {
    let known = this.namespaces.get(namespace)
    if (!known || known.recoveries !== chunks.recoveries) {
      known = new NamespaceNodes(chunks.recoveries)
      this.namespaces.set(namespace, known)
    }
    return known.nodes
  }
}

/** Remembers a checked node, dropping the oldest past the bound (a later commit checks those again). */
export function remember(nodes: Map<string, NodeTotals>, key: string, totals: NodeTotals): void {
  if (nodes.size >= MAX_NODES_PER_NAMESPACE) nodes.delete(nodes.keys().next().value!)
  nodes.set(key, totals)
}
