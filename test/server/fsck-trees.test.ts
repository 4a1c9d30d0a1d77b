/** The server's fsck over tree manifests: a tree whose node is gone, or is no list of ids, is reported by path; the check goes on. */
import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {buildTree} from '#src/manifest/id-tree.js'
import {fsckServer} from '#server/fsck.js'
import {testServer} from './support/test-server.js'

test('fsck reports a head whose tree cannot be read, with why, and still checks the other heads', async (t) => {
  const server = await testServer(t)
  await server.token('home')
  const chunks = Array.from({length: 5000}, (_, i) => Buffer.from(`line ${i}\n`)).map((bytes) => ({id: sha256Hex(bytes), bytes}))
  const tree = buildTree(IdList.fromHex(chunks.map((chunk) => chunk.id)))
  const notAList = Buffer.from('this is no list of ids\n')
  const store = await server.storage.chunks.namespace('home')
  await store.add([...chunks, ...tree.nodes.slice(0, -1), {id: sha256Hex(notAList), bytes: notAList}])
  await store.flush()
  const size = chunks.reduce((total, chunk) => total + chunk.bytes.length, 0)
  const treeManifest = (root: string, depth: number, count: number) => ({kind: 'tree' as const, size, exec: false, tree: {root, depth, count}})
  await server.storage.journal.transact('home', {heads: new Set(), under: new Set(), appends: 3}, (view) => {
    const stamp = {prev: null, kind: 'file' as const, device: 'd', time: 1}
    view.append({path: 'no-root.txt', ...stamp, manifest: treeManifest(tree.ref.root, tree.ref.depth, 5000)})
    view.append({path: 'not-a-list.txt', ...stamp, manifest: treeManifest(sha256Hex(notAList), 0, 1)})
    view.append({path: 'fine.txt', ...stamp, manifest: {kind: 'file', size: chunks[0].bytes.length, exec: false, ids: IdList.fromHex([chunks[0].id])}})
  })
  const [check] = await fsckServer(server.storage)
  t.is(check.heads, 3)
  t.deepEqual(
    check.incomplete.map(({path, missing, reason}) => ({path, missing, broken: reason !== undefined})),
    [
      {path: 'no-root.txt', missing: [tree.ref.root], broken: false},
      {path: 'not-a-list.txt', missing: [sha256Hex(notAList)], broken: true},
    ],
  )
  t.regex(check.incomplete[1].reason!, /is not a list of 1-1024 chunk ids/)
})
