/** What the client writes in a commit is what the server's schema takes (src/protocol/commit-request.ts), for every kind of item. */
import test from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {itemToWire, type CommitItem} from '#src/journal/commit-wire.js'
import {diffIds} from '#src/manifest/edits.js'
import {buildTree} from '#src/manifest/id-tree.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {manifestFromWire} from '#src/manifest/wire.js'
import {commitBodySchema} from '#src/protocol/commit-request.js'
import {randomBytes} from '../helpers/random.js'

test('every kind of commit item the client writes passes the server schema, and its manifest reads back as it was', (t) => {
  const ids = IdList.fromBuffer(randomBytes(32 * 5000, 3))
  const small = IdList.fromBuffer(randomBytes(32 * 3, 4))
  const tree = buildTree(ids)
  const items: CommitItem[] = [
    {path: 'a.cook', base: null, manifest: fileManifest(small, 30, true)},
    {path: 'link', base: 4, manifest: {kind: 'symlink', target: 'a.cook'}},
    {path: 'a.cook', base: 5, edits: diffIds(small, IdList.fromBuffer(randomBytes(32 * 4, 5))), size: 40, exec: false},
    {path: 'big.txt', base: null, tree: tree.ref, size: 80_000, exec: false, introduces: ['not sent']},
    {path: 'b/moved.cook', base: null, from: {path: 'a.cook', base: 6}, manifest: fileManifest(small, 30)},
    {path: 'gone.cook', base: 2, deleted: true},
  ]
  const wire = items.map((item) => itemToWire(item))
  t.true(commitBodySchema.safeParse({device: 'laptop', items: wire}).success)
  t.false(JSON.stringify(wire).includes('not sent'), '`introduces` stays on the client')
  t.like(manifestFromWire(wire[3].manifest), {kind: 'tree', size: 80_000, tree: tree.ref})
  t.like(manifestFromWire(wire[0].manifest), {kind: 'file', size: 30, exec: true})
})
