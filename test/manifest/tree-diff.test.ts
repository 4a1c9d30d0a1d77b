import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {diffIds} from '#src/manifest/edits.js'
import {buildTree, type IdTree} from '#src/manifest/id-tree.js'
import {diffTrees} from '#src/manifest/tree-diff.js'

/** Seeded: the same lists every run. */
function random(seed: number) {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed / 2 ** 32
  }
}

const idOf = (n: number) => sha256Hex(Buffer.from(`chunk ${n}`))

function storeOf(...trees: IdTree[]): Map<string, Buffer> {
  const nodes = new Map<string, Buffer>()
  for (const tree of trees) for (const node of tree.nodes) nodes.set(node.id, node.bytes)
  return nodes
}

test('the edits of two trees, found without expanding them, are the edits of their lists', async (t) => {
  const next = random(13)
  for (let round = 0; round < 40; round++) {
    const size = 1 + Math.floor(next() * 40_000)
    // A few repeated ids, as a file repeats lines.
    const before = Array.from({length: size}, () => idOf(Math.floor(next() * size * 0.9)))
    const after = [...before]
    const at = Math.floor(next() * (after.length + 1))
    const removed = Math.floor(next() * 3 * (round % 4))
    const inserted = Array.from({length: Math.floor(next() * 5)}, (_, i) => idOf(-1 - i - round * 10))
    after.splice(at, Math.min(removed, after.length - at), ...inserted)
    if (after.length === 0) continue
    const [from, to] = [IdList.fromHex(before), IdList.fromHex(after)]
    const [a, b] = [buildTree(from), buildTree(to)]
    const nodes = storeOf(a, b)
    const reads = {count: 0}
    const found = await diffTrees(a.ref, b.ref, async (id) => nodes.get(id)!, 1_000_000, reads)
    const expected = diffIds(from, to)
    t.deepEqual(
      found!.map((op) => [op.at, op.remove, op.insert.toHexArray()]),
      expected.map((op) => [op.at, op.remove, op.insert.toHexArray()]),
      `round ${round}: ${size} ids, edit at ${at}`,
    )
    // Every node of each tree is read at most twice (once from each end), the unchanged middle of neither.
    t.true(reads.count <= 2 * nodes.size, `${reads.count} reads for ${nodes.size} nodes`)
  }
})

test('edits that insert more than asked for are not collected; a version equal to the other reads nothing', async (t) => {
  const ids = Array.from({length: 20_000}, (_, i) => idOf(i))
  const other = [...ids.slice(0, 5000), ...Array.from({length: 3000}, (_, i) => idOf(-i - 1)), ...ids.slice(5000)]
  const [a, b] = [buildTree(IdList.fromHex(ids)), buildTree(IdList.fromHex(other))]
  const nodes = storeOf(a, b)
  const read = async (id: string) => nodes.get(id)!
  t.is(await diffTrees(a.ref, b.ref, read, 2999), undefined)
  const [op] = (await diffTrees(a.ref, b.ref, read, 3000))!
  t.deepEqual([op.at, op.remove, op.insert.length], [5000, 0, 3000])
  const reads = {count: 0}
  t.deepEqual(await diffTrees(a.ref, a.ref, read, 0, reads), [])
  t.is(reads.count, 0)
})
