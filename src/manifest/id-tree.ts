/**
 * The id list of a file of many chunks as a tree of list chunks (docs/protocol.md, Tree manifests), as git keeps
 * trees and restic tree blobs: a list chunk ("node") is its ids concatenated, 32 bytes each, stored and sent as an
 * ordinary chunk under the SHA-256 of its bytes. Nodes of depth 0 list the file's chunks; a node of depth d > 0
 * lists nodes of depth d - 1. A version is then one root id, whatever its size: a move carries the root, and an
 * edit adds a new node per level on the path to what changed, not a whole list.
 *
 * Boundaries are chosen by content (an id whose first four bytes are 0 modulo the fan-out ends a node, within a
 * minimum and a maximum), so an insertion shifts no boundary but its own node's: the same ids give the same
 * tree on every device and on the server. Reading a tree trusts nothing: every node is checked for shape, the
 * depth and the number of ids are bounded, and the count must come out as the root claimed.
 */
import {ID_BYTES} from '../chunk/chunk-id.js'
import {sha256Hex} from '../chunk/hash.js'
import {IdList} from '../chunk/id-list.js'
import {InvalidInputError} from '../errors/index.js'

/** A file of more chunks than this travels and is kept as a tree; fewer stay a plain list. */
export const TREE_MIN_IDS = 4096
/**
 * Versions of files of up to this many chunks (32 MiB of ids) may also travel as edit scripts of the version
 * before, trees or not: the server expands the trees to apply or to write them (O(n), bounded here), and a
 * one-line edit of a 1 MB text file costs about a line, not the nodes on its path. Past it, only nodes travel.
 */
export const EDITS_MAX_IDS = 2 ** 20
/** Nodes of about 2 KiB: a one-line edit of a 1 GB text file (17 M chunks, depth 4) costs about 10 KB of nodes. */
const AVERAGE_FANOUT = 64
const MIN_FANOUT = 8
export const MAX_FANOUT = 1024
/**
 * The most chunks a tree may list (about 2 GB of text): its id list is held in memory (1 GiB at most), and a
 * writer of the namespace must not be able to make a device allocate more by claiming it.
 */
export const MAX_TREE_COUNT = 2 ** 25
/** Deeper than any tree of MAX_TREE_COUNT ids can be (each node but a level's last holds at least MIN_FANOUT). */
export const MAX_TREE_DEPTH = 12

export interface TreeRef {
  /** Hex id of the root node. */
  root: string
  /** Levels of nodes below the root (0: the root lists the file's chunks). */
  depth: number
  /** The file's chunks (ids in the leaves, repeats counted). */
  count: number
}

export interface TreeNode {
  id: string
  bytes: Buffer
}

export interface IdTree {
  ref: TreeRef
  /** Every node, the leaves first, the root last. */
  nodes: TreeNode[]
}

/** Cuts a level's concatenated ids into nodes at the content-defined boundaries. */
function cutLevel(ids: Buffer): TreeNode[] {
  const nodes: TreeNode[] = []
  const count = ids.length / ID_BYTES
  let start = 0
  for (let i = 0; i < count; i++) {
    const size = i - start + 1
    const boundary = size >= MIN_FANOUT && ids.readUInt32BE(i * ID_BYTES) % AVERAGE_FANOUT === 0
    if (boundary || size === MAX_FANOUT || i === count - 1) {
      const bytes = Buffer.from(ids.subarray(start * ID_BYTES, (i + 1) * ID_BYTES))
      nodes.push({id: sha256Hex(bytes), bytes})
      start = i + 1
    }
  }
  return nodes
}

export function buildTree(ids: IdList): IdTree {
  if (ids.length === 0) throw new RangeError('a tree needs at least one id')
  const nodes: TreeNode[] = []
  let level = cutLevel(ids.toBuffer())
  let depth = 0
  for (;;) {
    for (const node of level) nodes.push(node)
    if (level.length === 1) return {ref: {root: level[0].id, depth, count: ids.length}, nodes}
    level = cutLevel(IdList.fromHex(level.map((node) => node.id)).toBuffer())
    depth++
  }
}

/** Whether `count` ids make a tree (else a plain list): the one rule clients and server share. */
export function wantsTree(count: number): boolean {
  return count > TREE_MIN_IDS
}

/** Checks a tree reference's numbers (not its nodes): what a peer claims before anything is read. */
export function checkTreeRef(ref: TreeRef, what: string): void {
  if (!Number.isSafeInteger(ref.depth) || ref.depth < 0 || ref.depth > MAX_TREE_DEPTH)
    throw new InvalidInputError(`${what}: tree depth must be 0-${MAX_TREE_DEPTH}`)
  if (!Number.isSafeInteger(ref.count) || ref.count < 1 || ref.count > MAX_TREE_COUNT) {
    throw new InvalidInputError(`${what}: a tree lists 1-${MAX_TREE_COUNT} chunks`)
  }
}

/** The ids a node lists, checked for shape. */
export function nodeIds(bytes: Buffer, id: string): Buffer {
  if (bytes.length === 0 || bytes.length % ID_BYTES !== 0 || bytes.length > MAX_FANOUT * ID_BYTES) {
    throw new InvalidInputError(`tree node ${id} is not a list of 1-${MAX_FANOUT} chunk ids`)
  }
  return bytes
}

/**
 * The file's ids, read level by level: `read` gets each level's node ids at once (a client fetches those it
 * lacks in one request per level). The count is checked at every level, so a lying root cannot make it hold more.
 */
export async function expandTree(ref: TreeRef, read: (ids: string[]) => Promise<Buffer[]>, what = `tree ${ref.root}`): Promise<IdList> {
  checkTreeRef(ref, what)
  let level = [ref.root]
  for (let depth = ref.depth; ; depth--) {
    const nodes = await read(level)
    let total = 0
    for (let i = 0; i < nodes.length; i++) total += nodeIds(nodes[i], level[i]).length / ID_BYTES
    if (total > ref.count || (depth === 0 && total !== ref.count))
      throw new InvalidInputError(`${what}: its nodes do not list the ${ref.count} chunks it claims`)
    const ids = IdList.fromBuffer(Buffer.concat(nodes, total * ID_BYTES))
    if (depth === 0) return ids
    level = ids.toHexArray()
  }
}
