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

/**
 * Builds a tree as its ids come, one at a time, holding one unfinished node per level (2 KiB on average, 32 KiB at
 * most): a 1 GB text file's tree is made without its 21 MB of nodes in memory at once. Each node is handed to
 * `onNode` as it is cut (a level's nodes in order, levels interleaved); the root comes last.
 */
export class TreeBuilder {
  /** The unfinished node of each level: its ids so far. */
  private readonly open: Buffer[] = []
  private readonly filled: number[] = []
  /** Nodes cut at each level so far. */
  private readonly cut: number[] = []
  private count = 0

  constructor(private readonly onNode: (node: TreeNode, depth: number) => void) {}

  /** Adds the file's next id: 32 bytes of `source` from `at`. */
  add(source: Uint8Array, at: number): void {
    this.count++
    this.addAt(0, source, at)
  }

  addList(ids: IdList): void {
    const bytes = ids.toBuffer()
    for (let i = 0; i < ids.length; i++) this.add(bytes, i * ID_BYTES)
  }

  /** Cuts the last node of each level; the tree's reference (undefined when no id came). */
  finish(): TreeRef | undefined {
    if (this.count === 0) return undefined
    for (let depth = 0; ; depth++) {
      if (this.filled[depth] > 0) this.cutNode(depth)
      // A level of one node: that node is the root (the id it put in the level above is no node's).
      if (this.cut[depth] === 1) return {root: this.open[depth + 1].toString('hex', 0, ID_BYTES), depth, count: this.count}
    }
  }

  private addAt(depth: number, source: Uint8Array, at: number): void {
    if (this.open.length === depth) {
      this.open.push(Buffer.allocUnsafe(MAX_FANOUT * ID_BYTES))
      this.filled.push(0)
      this.cut.push(0)
    }
    const node = this.open[depth]
    node.set(source.subarray(at, at + ID_BYTES), this.filled[depth] * ID_BYTES)
    const size = ++this.filled[depth]
    const boundary = size >= MIN_FANOUT && node.readUInt32BE((size - 1) * ID_BYTES) % AVERAGE_FANOUT === 0
    if (boundary || size === MAX_FANOUT) this.cutNode(depth)
  }

  private cutNode(depth: number): void {
    const bytes = Buffer.from(this.open[depth].subarray(0, this.filled[depth] * ID_BYTES))
    this.filled[depth] = 0
    this.cut[depth]++
    const id = sha256Hex(bytes)
    this.onNode({id, bytes}, depth)
    this.addAt(depth + 1, Buffer.from(id, 'hex'), 0)
  }
}

/** The whole tree of `ids`, every node in memory (tests and small trees; big ones go through TreeBuilder). */
export function buildTree(ids: IdList): IdTree {
  if (ids.length === 0) throw new RangeError('a tree needs at least one id')
  const levels: TreeNode[][] = []
  const builder = new TreeBuilder((node, depth) => (levels[depth] ??= []).push(node))
  builder.addList(ids)
  const ref = builder.finish()!
  return {ref, nodes: levels.slice(0, ref.depth + 1).flat()}
}

/** Ids fed to a TreeBuilder between two hand-overs of its nodes (writeTree): about 1,000 nodes, 2 MB. */
const WRITE_WINDOW_IDS = 64 * 1024

/**
 * Builds the tree of `ids` and hands its nodes to `keep` a window at a time (awaited before the next), so that
 * only a window's nodes are in memory, not the tree's (21 MB for a 1 GB text file). `keep` sees the root last.
 */
export async function writeTree(ids: IdList, keep: (nodes: TreeNode[]) => Promise<void>): Promise<TreeRef> {
  if (ids.length === 0) throw new RangeError('a tree needs at least one id')
  let window: TreeNode[] = []
  const builder = new TreeBuilder((node) => window.push(node))
  const bytes = ids.toBuffer()
  for (let from = 0; from < ids.length; from += WRITE_WINDOW_IDS) {
    for (let i = from; i < Math.min(ids.length, from + WRITE_WINDOW_IDS); i++) builder.add(bytes, i * ID_BYTES)
    if (window.length > 0) await keep(window)
    window = []
  }
  const ref = builder.finish()!
  if (window.length > 0) await keep(window)
  return ref
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

/** Nodes asked of `read` at a time while a tree is expanded: 512 KB of nodes on average, 8 MB at most. */
const EXPAND_BATCH = 256

/**
 * The file's ids, read level by level, `read` asked for EXPAND_BATCH nodes at a time (a client fetches those it
 * lacks in one request per batch), each batch's ids copied out before the next: the nodes are never all in memory
 * beside the list (21 MB each for a 1 GB text file). The count is checked at every level, so a lying root cannot
 * make it hold more; the leaves' list is allocated at the claimed count, whose pages cost memory only as ids fill
 * them (allocUnsafe of a large buffer maps pages untouched).
 */
export async function expandTree(ref: TreeRef, read: (ids: string[]) => Promise<Buffer[]>, what = `tree ${ref.root}`): Promise<IdList> {
  checkTreeRef(ref, what)
  let level = IdList.fromHex([ref.root])
  for (let depth = ref.depth; ; depth--) {
    const below = new IdList(depth === 0 ? ref.count : Math.min(ref.count, level.length * AVERAGE_FANOUT))
    for (let from = 0; from < level.length; from += EXPAND_BATCH) {
      const ids = level.hexRange(from, from + EXPAND_BATCH)
      const nodes = await read(ids)
      for (let i = 0; i < nodes.length; i++) {
        const listed = nodeIds(nodes[i], ids[i])
        if (below.length + listed.length / ID_BYTES > ref.count) throw new InvalidInputError(`${what}: its nodes do not list the ${ref.count} chunks it claims`)
        below.append(IdList.fromBuffer(listed))
      }
    }
    if (depth === 0) {
      if (below.length !== ref.count) throw new InvalidInputError(`${what}: its nodes do not list the ${ref.count} chunks it claims`)
      return below
    }
    level = below
  }
}
