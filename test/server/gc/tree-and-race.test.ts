/** GC and what it must never break: big files kept as trees, and commits or uploads landing while it runs. */
import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {buildTree} from '#src/manifest/id-tree.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import {VersionMarker} from '#server/gc/mark-versions.js'
import {randomBytes} from '../../helpers/random.js'
import {fileVersion, gcFixture} from './gc-fixture.js'

const lines: PackChunk[] = Array.from({length: 5000}, (_, i) => Buffer.from(`line ${i} of a long file\n`)).map((bytes) => ({id: sha256Hex(bytes), bytes}))
const tree = buildTree(IdList.fromHex(lines.map((chunk) => chunk.id)))
const size = lines.reduce((total, chunk) => total + chunk.bytes.length, 0)
const treeManifest = {kind: 'file', size, tree: tree.ref.root, depth: tree.ref.depth, count: tree.ref.count}

test('a file of more than 4,096 chunks survives GC whole (its nodes too), and moving it afterwards commits', async (t) => {
  const f = await gcFixture(t)
  await f.upload([...tree.nodes, ...lines])
  t.is((await f.commit([{path: 'big.txt', manifest: treeManifest}]))[0].status, 'committed')
  for (let i = 0; i < 5; i++) await f.put('photo.jpg', fileVersion(randomBytes(400_000, i)))
  const [report] = await f.gc(200)
  t.true(report.deletedPacks + report.rewrittenPacks > 0)
  t.deepEqual(await f.missing(tree.nodes.map((node) => node.id)), [])
  t.deepEqual(await f.missing(lines.map((chunk) => chunk.id)), [])
  await f.fsckClean()
  const [moved] = await f.commit([{path: 'moved.txt', from: {path: 'big.txt', base: 1}, manifest: treeManifest}])
  t.is(moved.status, 'committed')
})

test('after GC drops a tree, a commit naming it again is told what is missing (nodes checked before are forgotten)', async (t) => {
  const f = await gcFixture(t)
  await f.upload([...tree.nodes, ...lines])
  t.is((await f.commit([{path: 'big.txt', manifest: treeManifest}]))[0].status, 'committed')
  await f.commit([{path: 'big.txt', deleted: true}])
  await f.gc(200)
  const [again] = await f.commit([{path: 'again.txt', manifest: treeManifest}])
  t.deepEqual(again, {status: 'missing', ids: [tree.ref.root]})
})

test('a commit that lands while GC marks, naming chunks only a pruned version had, keeps them; so does an upload', async (t) => {
  const f = await gcFixture(t)
  const old = fileVersion(randomBytes(300_000, 1))
  await f.put('photo.jpg', old)
  await f.put('photo.jpg', fileVersion(randomBytes(300_000, 2)))
  await f.server.storage.settings.setRetention('home', {keepDays: 0, thinDays: 0})
  const late = fileVersion(randomBytes(50_000, 3))
  const {storage} = f.server
  const pruned = [1]
  t.is(await storage.journal.prune('home', pruned), 1)
  const chunks = await storage.chunks.namespace('home')
  const marker = new VersionMarker(storage.journal, 'home', chunks)
  const upto = await storage.journal.head('home')
  const report = await chunks.collect(
    {
      async mark(marks) {
        await marker.mark(marks, 0, upto)
        // Meanwhile: the old photo comes back under another name (its chunks found present, none sent), and new chunks arrive.
        const [result] = await f.commit([{path: 'restored.jpg', manifest: old.manifest}])
        t.is(result.status, 'committed')
        await f.upload(late.chunks)
      },
      markLate: async (marks) => marker.mark(marks, upto, await storage.journal.head('home')),
    },
    {graceMs: 0, rewriteBelow: 0.99},
  )
  t.true(report.chunks > 0)
  t.deepEqual(await f.missing(old.chunks.map((c) => c.id)), [], 'the late commit names them: kept')
  t.deepEqual(await f.missing(late.chunks.map((c) => c.id)), [], 'uploaded during GC: kept')
  await f.fsckClean()
})

test('commits running all through a GC never name a chunk the GC dropped', async (t) => {
  const f = await gcFixture(t)
  const photos = Array.from({length: 6}, (_, i) => fileVersion(randomBytes(120_000, 10 + i)))
  for (const photo of photos) await f.put('photo.jpg', photo)
  await f.server.storage.settings.setRetention('home', {keepDays: 0, thinDays: 0})
  let done = false
  const writer = (async () => {
    // Old versions come back under new names, with no upload: only present chunks make these commits.
    for (let i = 0; !done; i++) await f.commit([{path: `copy-${i}.jpg`, manifest: photos[i % 5].manifest}])
  })()
  await f.gc(0)
  done = true
  await writer
  await f.fsckClean()
})
