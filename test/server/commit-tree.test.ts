/** Commits of tree manifests (docs/protocol.md, Tree manifests): the server checks a tree whole before it names it. */
import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {buildTree} from '#src/manifest/id-tree.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import {testServer} from './support/test-server.js'

const chunks: PackChunk[] = Array.from({length: 5000}, (_, i) => Buffer.from(`line ${i} of a long file\n`)).map((bytes) => ({id: sha256Hex(bytes), bytes}))
const size = chunks.reduce((total, chunk) => total + chunk.bytes.length, 0)
const tree = buildTree(IdList.fromHex(chunks.map((chunk) => chunk.id)))
const wireTree = (changes: Record<string, unknown> = {}) => ({
  kind: 'file',
  size,
  tree: tree.ref.root,
  depth: tree.ref.depth,
  count: tree.ref.count,
  ...changes,
})

async function setup(t: Parameters<typeof testServer>[0]) {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const upload = async (pack: PackChunk[]) => {
    const res = await api
      .post('/v1/ns/home/packs')
      .set('Content-Type', 'application/x-sync-pack')
      .send(await encodePack(pack))
    t.is(res.status, 200, JSON.stringify(res.body))
  }
  const commit = (items: unknown[]) => api.post('/v1/ns/home/commit').send({device: 'laptop', items})
  return {api, upload, commit}
}

test('a tree is missing its root, then the chunks below it; once all are there it commits, and the journal gives back the root', async (t) => {
  const {api, upload, commit} = await setup(t)
  const item = {path: 'big.txt', base: null, manifest: wireTree()}
  t.deepEqual((await commit([item])).body.results, [{status: 'missing', ids: [tree.ref.root]}])
  await upload(tree.nodes)
  const missing = (await commit([item])).body.results[0]
  t.is(missing.status, 'missing')
  t.deepEqual([...missing.ids].sort(), chunks.map((chunk) => chunk.id).sort(), 'every chunk the leaves list')
  await upload(chunks.slice(0, 4000))
  t.is((await commit([item])).body.results[0].ids.length, 1000)
  await upload(chunks.slice(4000))
  t.deepEqual((await commit([item])).body.results, [{status: 'committed', jid: 1}])
  t.deepEqual((await commit([item])).body.results, [{status: 'unchanged', jid: 1}], 'the same root is the same content')
  t.like((await api.get('/v1/ns/home/entries/1')).body.entry, {kind: 'file', size, tree: tree.ref.root, depth: tree.ref.depth, count: 5000})
  t.like((await api.get('/v1/ns/home/heads')).body.heads[0], {path: 'big.txt', tree: tree.ref.root})
  t.false('tree' in (await api.get('/v1/ns/home/log?path=big.txt')).body.entries[0], 'log has no ids, nor a tree')
  const moved = {path: 'moved.txt', base: null, from: {path: 'big.txt', base: 1}, manifest: wireTree()}
  t.deepEqual((await commit([moved])).body.results, [{status: 'committed', jid: 2, from: 'big.txt'}])
})

test('a tree whose count or size lies, whose node is no list, or that edits would apply to, is refused and nothing is written', async (t) => {
  const {api, upload, commit} = await setup(t)
  await upload([...tree.nodes, ...chunks])
  const refused = async (manifest: unknown, message: RegExp, base: number | null = null) => {
    const res = await commit([{path: 'big.txt', base, manifest}])
    t.is(res.status, 400, JSON.stringify(res.body))
    t.regex(res.body.error.message, message)
  }
  await refused(wireTree({size: size + 1}), /its chunks make \d+ bytes, not the \d+ it claims/)
  await refused(wireTree({count: 4999}), /its tree lists 5000 chunks, not the 4999 it claims/)
  await refused(wireTree({depth: tree.ref.depth + 1}), /is not a list of 1-1024 chunk ids|its tree lists/)
  await refused(wireTree({tree: chunks[0].id, depth: 0, count: 1, size: chunks[0].bytes.length}), /is not a list of 1-1024 chunk ids/)
  await refused(wireTree({ids: 'AAAA'}), /give ids or a tree, not both/)
  await refused(wireTree({count: 2 ** 25 + 1, size: 2 ** 40}), /a tree lists 1-33554432 chunks/)
  t.is((await api.get('/v1/ns/home/changes')).body.head, 0)
  t.is((await commit([{path: 'big.txt', base: null, manifest: wireTree()}])).status, 200)
})

test('edits apply to a tree (the server expands it), and the new version is kept as a tree; a changes page gives them back as edits', async (t) => {
  const {api, upload, commit} = await setup(t)
  await upload([...tree.nodes, ...chunks])
  t.deepEqual((await commit([{path: 'big.txt', base: null, manifest: wireTree()}])).body.results, [{status: 'committed', jid: 1}])
  const edited = (await commit([{path: 'big.txt', base: 1, edits: [[0, 1, '']], size: size - chunks[0].bytes.length}])).body.results
  t.deepEqual(edited, [{status: 'committed', jid: 2}])
  const expected = buildTree(IdList.fromHex(chunks.slice(1).map((chunk) => chunk.id)))
  t.like((await api.get('/v1/ns/home/entries/2')).body.entry, {tree: expected.ref.root, count: 4999})
  const [, second] = (await api.get('/v1/ns/home/changes?since=0')).body.entries
  t.deepEqual(second.edits, [[0, 1, '']], 'a device at JID 1 gets one edit, not the nodes')
  t.false('tree' in second)
})
