/** A namespace for the status page's tests: versions of a recipe, a hostile path, a symlink, a deletion and a tree. */
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {buildTree} from '#src/manifest/id-tree.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import type {ExecutionContext} from 'ava'
import type {TestServer} from '../support/test-server.js'
import {jsonAnswer} from '../support/json-answer.js'
import {version} from '../support/versions.js'

/** A path that is markup if a page ever writes it as HTML. */
export const HOSTILE = `<img src=x onerror="document.title='pwned'">&amp; "q".cook`

export async function statusFixture(t: ExecutionContext, server: TestServer) {
  const laptop = (await server.storage.tokens.create({rights: 'read-write', namespace: 'home'}, 'laptop')).token
  const api = server.as(laptop)
  const commit = async (items: unknown[], inline: object = {}) => {
    const res = await api
      .post('/v1/ns/home/commit')
      .set('User-Agent', 'sync/0.1.0')
      .send({device: 'laptop', items, ...inline})
      .parse(jsonAnswer)
    t.is(res.status, 200, JSON.stringify(res.body))
    return (res.body as {results: {status: string; jid: number}[]}).results
  }
  const first = version('= Risotto\n', 'rice\n')
  const second = version('= Risotto\n', 'rice\n', 'butter\n')
  const hostile = version('<script>alert(1)</script>\n')
  await commit([{path: 'Risotto.cook', base: null, manifest: first.manifest}], first.inline)
  await commit([{path: 'Risotto.cook', base: 1, manifest: second.manifest}], second.inline)
  await commit([{path: HOSTILE, base: null, manifest: hostile.manifest}], hostile.inline)
  await commit([{path: 'link', base: null, manifest: {kind: 'symlink', target: 'Risotto.cook'}}])
  await commit([{path: 'link', base: 4, deleted: true}])
  // A file of 5000 lines travels and is kept as a tree.
  const lines = Array.from({length: 5000}, (_, i) => Buffer.from(`line ${i} of a long file\n`))
  const chunks = lines.map((bytes) => ({id: sha256Hex(bytes), bytes}))
  const tree = buildTree(IdList.fromHex(chunks.map((chunk) => chunk.id)))
  const upload = await api
    .post('/v1/ns/home/packs')
    .set('Content-Type', 'application/x-sync-pack')
    .send(await encodePack([...tree.nodes, ...chunks]))
  t.is(upload.status, 200)
  const big = Buffer.concat(lines)
  const bigJid = (
    await commit([{path: 'notes/big.txt', base: null, manifest: {kind: 'file', size: big.length, tree: tree.ref.root, depth: tree.ref.depth, count: 5000}}])
  )[0].jid
  return {laptop, api, commit, bytes: {first: Buffer.from('= Risotto\nrice\n'), second: Buffer.from('= Risotto\nrice\nbutter\n'), big}, bigJid}
}
