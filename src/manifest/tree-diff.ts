/**
 * The edit script between two versions kept as trees (id-tree.ts), without expanding either: their leaves are
 * walked from the front while they agree, then from the back, holding one node per level of each tree; only the
 * ids between (what the edit inserted) are collected. The same single op as diffIds (edits.ts) gives on the
 * expanded lists, for the memory of a few nodes instead of two id lists (42 MB for a 1 GB text file, and more
 * while each was read). Trees read here are the reader's own, checked when they were stored: nodes are checked
 * for shape, counts are taken from the references.
 */
import {ID_BYTES} from '../chunk/chunk-id.js'
import {IdList} from '../chunk/id-list.js'
import {InvalidInputError} from '../errors/index.js'
import type {EditOp} from './edits.js'
import {nodeIds, type TreeRef} from './id-tree.js'

/** Reads one node's bytes by its hex id. */
export type ReadNode = (id: string) => Promise<Buffer>

/** A cursor over a tree's chunk ids, forwards or backwards, reading a node when it steps into it. */
class LeafCursor {
  /** Per level from the root down: a node's ids and the next place in them. */
  private readonly stack: {ids: Buffer; next: number}[] = []
  private leaf?: {ids: Buffer; next: number}
  /** Nodes read so far (what tests hold the walk to). */
  reads = 0

  constructor(
    private readonly ref: TreeRef,
    private readonly read: ReadNode,
    private readonly backwards: boolean,
  ) {}

  /** The id at the cursor as a view of its 32 bytes (read into its leaf if need be), or undefined at the end. */
  async peek(): Promise<Buffer | undefined> {
    if (!this.leaf || this.leaf.next < 0 || this.leaf.next * ID_BYTES >= this.leaf.ids.length) {
      const ids = await this.nextLeaf()
      if (!ids) return undefined
      this.leaf = {ids, next: this.backwards ? ids.length / ID_BYTES - 1 : 0}
    }
    const at = this.leaf.next * ID_BYTES
    return this.leaf.ids.subarray(at, at + ID_BYTES)
  }

  /** Steps past the id `peek` gave. */
  skip(): void {
    this.leaf!.next += this.backwards ? -1 : 1
  }

  private async nextLeaf(): Promise<Buffer | undefined> {
    if (this.reads === 0) return this.descend(this.ref.root, this.ref.depth)
    for (;;) {
      const top = this.stack.at(-1)
      if (!top) return undefined
      if (top.next < 0 || top.next * ID_BYTES >= top.ids.length) {
        this.stack.pop()
        continue
      }
      const at = top.next * ID_BYTES
      top.next += this.backwards ? -1 : 1
      return this.descend(top.ids.toString('hex', at, at + ID_BYTES), this.ref.depth - this.stack.length)
    }
  }

  /** Reads the node `id` at `depth` and the first (or last) nodes below it down to a leaf: that leaf's ids. */
  private async descend(id: string, depth: number): Promise<Buffer> {
    for (;;) {
      const ids = nodeIds(await this.read(id), id)
      this.reads++
      if (depth === 0) return ids
      const first = this.backwards ? ids.length / ID_BYTES - 1 : 0
      this.stack.push({ids, next: first + (this.backwards ? -1 : 1)})
      if (this.stack.length > this.ref.depth) throw new InvalidInputError(`tree ${this.ref.root} is deeper than it claims`)
      id = ids.toString('hex', first * ID_BYTES, (first + 1) * ID_BYTES)
      depth--
    }
  }
}

/** Ids that agree, walking both trees the same way, up to `most`; each cursor stops at the first that does not. */
async function agreeing(a: LeafCursor, b: LeafCursor, most: number): Promise<number> {
  let count = 0
  for (; count < most; count++) {
    const [x, y] = [await a.peek(), await b.peek()]
    if (!x || !y || !x.equals(y)) break
    a.skip()
    b.skip()
  }
  return count
}

/**
 * The edits turning `from`'s ids into `to`'s (one op at most, as diffIds), or undefined when they would insert more
 * than `maxInsert` ids (the caller sends the tree instead). `reads` counts the nodes read, when given.
 */
export async function diffTrees(from: TreeRef, to: TreeRef, read: ReadNode, maxInsert: number, reads?: {count: number}): Promise<EditOp[] | undefined> {
  const [n, m] = [from.count, to.count]
  const cursors: LeafCursor[] = []
  const cursor = (ref: TreeRef, backwards: boolean) => {
    const made = new LeafCursor(ref, read, backwards)
    cursors.push(made)
    return made
  }
  try {
    if (from.root === to.root && from.depth === to.depth) return []
    const ahead = cursor(to, false)
    const prefix = await agreeing(cursor(from, false), ahead, Math.min(n, m))
    const suffix = await agreeing(cursor(from, true), cursor(to, true), Math.min(n, m) - prefix)
    const inserted = m - prefix - suffix
    if (inserted > maxInsert) return undefined
    // `ahead` stopped at the first id that differs: the inserted ones follow from there.
    const insert = new IdList(inserted)
    for (let i = 0; i < inserted; i++) {
      const id = await ahead.peek()
      if (!id) throw new InvalidInputError(`tree ${to.root} lists fewer than the ${m} chunks it claims`)
      insert.pushKey(id.toString('latin1'))
      ahead.skip()
    }
    return [{at: prefix, remove: n - prefix - suffix, insert}]
  } finally {
    if (reads) reads.count += cursors.reduce((total, walked) => total + walked.reads, 0)
  }
}
