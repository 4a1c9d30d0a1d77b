/** Trees of list chunks (src/manifest/id-tree.ts): same ids, same tree; an edit touches one node per level; reading trusts nothing. */
import test from 'ava'
import {ID_BYTES} from '#src/chunk/chunk-id.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {InvalidInputError} from '#src/errors/index.js'
import {buildTree, expandTree, MAX_FANOUT, type IdTree} from '#src/manifest/id-tree.js'
import {randomBytes} from '../helpers/random.js'

const ids = (count: number, seed: number) => IdList.fromBuffer(randomBytes(count * ID_BYTES, seed))
const reader = (tree: IdTree) => {
  const nodes = new Map(tree.nodes.map((node) => [node.id, node.bytes]))
  // An id that is no node is a file's chunk: some bytes (a lying depth reads chunks as nodes).
  return async (level: string[]) => level.map((id) => nodes.get(id) ?? randomBytes(64, 1))
}

test('a tree lists the ids it was built from, and is the same tree every time', async (t) => {
  for (const [count, seed] of [
    [1, 1],
    [100, 2],
    [5000, 3],
    [200_000, 4],
  ]) {
    const list = ids(count, seed)
    const tree = buildTree(list)
    t.is(tree.ref.count, count)
    t.is(tree.nodes.at(-1)!.id, tree.ref.root)
    t.deepEqual(buildTree(IdList.fromBuffer(Buffer.from(list.toBuffer()))).ref, tree.ref)
    t.true((await expandTree(tree.ref, reader(tree))).equals(list))
    for (const node of tree.nodes) {
      t.is(node.id, sha256Hex(node.bytes))
      t.true(node.bytes.length > 0 && node.bytes.length <= MAX_FANOUT * ID_BYTES)
    }
  }
  t.is(buildTree(ids(200_000, 4)).ref.depth, 2, '200,000 ids: about 3,100 leaves, 49 nodes above them, a root')
})

test('inserting one id changes one node per level (plus a neighbour where a boundary moved), not the list', (t) => {
  const list = ids(200_000, 5)
  const before = buildTree(list)
  const bytes = list.toBuffer()
  const at = 123_457 * ID_BYTES
  const edited = IdList.fromBuffer(Buffer.concat([bytes.subarray(0, at), randomBytes(ID_BYTES, 99), bytes.subarray(at)]))
  const after = buildTree(edited)
  const old = new Set(before.nodes.map((node) => node.id))
  const fresh = after.nodes.filter((node) => !old.has(node.id))
  t.is(after.ref.depth, before.ref.depth)
  t.true(fresh.length <= 2 * (after.ref.depth + 1), `${fresh.length} new nodes of ${after.nodes.length}`)
  const freshBytes = fresh.reduce((total, node) => total + node.bytes.length, 0)
  t.true(freshBytes < 200_000, `${freshBytes} bytes of new nodes against ${bytes.length} of ids`)
})

test('a run of one repeated id is cut at the maximum fan-out', async (t) => {
  const one = randomBytes(ID_BYTES, 7)
  const list = IdList.fromBuffer(Buffer.concat(Array.from({length: 10_000}, () => one)))
  const tree = buildTree(list)
  t.true(tree.nodes.every((node) => node.bytes.length <= MAX_FANOUT * ID_BYTES))
  t.true((await expandTree(tree.ref, reader(tree))).equals(list))
})

test('reading a tree refuses nodes that are not lists of ids, counts that do not add up, and depths past the bound', async (t) => {
  const tree = buildTree(ids(5000, 8))
  const read = reader(tree)
  const refuse = (promise: Promise<unknown>, message: RegExp) => t.throwsAsync(promise, {instanceOf: InvalidInputError, message})
  await refuse(expandTree({...tree.ref, count: 4999}, read), /do not list the 4999 chunks/)
  await refuse(expandTree({...tree.ref, count: 5001}, read), /do not list the 5001 chunks/)
  await refuse(expandTree({...tree.ref, depth: tree.ref.depth + 1}, read), /do not list|is not a list/)
  await refuse(
    expandTree(tree.ref, async (level) => level.map(() => Buffer.alloc(33))),
    /is not a list of 1-1024 chunk ids/,
  )
  await refuse(
    expandTree(tree.ref, async (level) => level.map(() => Buffer.alloc(0))),
    /is not a list/,
  )
  await refuse(expandTree({...tree.ref, depth: 99}, read), /tree depth must be 0-12/)
  await refuse(expandTree({...tree.ref, count: 2 ** 25 + 1}, read), /a tree lists 1-33554432 chunks/)
  await refuse(expandTree({...tree.ref, count: 0}, read), /a tree lists 1-33554432 chunks/)
})
