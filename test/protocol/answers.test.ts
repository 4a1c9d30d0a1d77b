/**
 * The server's answers match the schemas the client reads them with (src/protocol/answers.ts): every field the
 * server writes is one the schema names (nothing is dropped when parsed), on every route, for every kind of entry.
 */
import test from 'ava'
import type {z} from 'zod'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {buildTree} from '#src/manifest/id-tree.js'
import {answerSchemas, wireEntrySchema} from '#src/protocol/answers.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import {testServer} from '../server/support/test-server.js'
import {version} from '../server/support/versions.js'

/** Parses strictly in effect: the parsed value must equal the answer, so no field went unnamed. */
function conforms(t: Parameters<typeof testServer>[0], schema: z.ZodType, answer: unknown, what: string): void {
  const parsed = schema.safeParse(answer)
  if (!parsed.success) return void t.fail(`${what}: ${parsed.error.message}`)
  t.deepEqual(parsed.data, answer, `${what}: every field is in the schema`)
}

test('every answer of the journal routes is what the client schemas read, with every field named', async (t) => {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const recipe = version('Risotto\n', '@rice{300%g}\n')
  const edited = version('Risotto\n', '@rice{350%g}\n')
  const chunks = Array.from({length: 5000}, (_, i) => Buffer.from(`line ${i}\n`)).map((bytes) => ({id: sha256Hex(bytes), bytes}))
  const tree = buildTree(IdList.fromHex(chunks.map((chunk) => chunk.id)))
  const packs = await api
    .post('/v1/ns/home/packs')
    .set('Content-Type', 'application/x-sync-pack')
    .send(await encodePack([...chunks, ...tree.nodes]))
  conforms(t, answerSchemas.packs, packs.body, 'packs')
  const size = chunks.reduce((total, chunk) => total + chunk.bytes.length, 0)
  const commit = async (items: unknown[], inline = {}) => {
    const res = await api.post('/v1/ns/home/commit').send({device: 'laptop', items, ...inline})
    conforms(t, answerSchemas.commit, res.body, 'commit')
    return res.body.results
  }
  await commit([{path: 'Risotto.cook', base: null, manifest: recipe.manifest}], recipe.inline)
  await commit([{path: 'Risotto.cook', base: 1, manifest: {...edited.manifest, exec: true}}], edited.inline)
  await commit([{path: 'link', base: null, manifest: {kind: 'symlink', target: 'Risotto.cook'}}])
  await commit([{path: 'big.txt', base: null, manifest: {kind: 'file', size, tree: tree.ref.root, depth: tree.ref.depth, count: tree.ref.count}}])
  await commit([
    {
      path: 'moved.txt',
      base: null,
      from: {path: 'big.txt', base: 4},
      manifest: {kind: 'file', size, tree: tree.ref.root, depth: tree.ref.depth, count: tree.ref.count},
    },
  ])
  await commit([{path: 'link', base: 3, deleted: true}])
  const [conflict] = await commit([{path: 'Risotto.cook', base: 1, manifest: recipe.manifest}])
  t.is(conflict.status, 'conflict')
  const [missing] = await commit([{path: 'new.cook', base: null, manifest: version('new\n').manifest}])
  t.is(missing.status, 'missing')

  const entries: unknown[] = []
  const changes = (await api.get('/v1/ns/home/changes?since=0&inline=262144')).body
  conforms(t, answerSchemas.changes, changes, 'changes')
  entries.push(...changes.entries, conflict.head)
  for (let jid = 1; jid <= 6; jid++) {
    const answer = (await api.get(`/v1/ns/home/entries/${jid}`)).body
    conforms(t, answerSchemas.entry, answer, `entries/${jid}`)
    entries.push(answer.entry)
  }
  const log = (await api.get('/v1/ns/home/log?path=Risotto.cook')).body
  conforms(t, answerSchemas.log, log, 'log')
  const heads = (await api.get('/v1/ns/home/heads')).body
  conforms(t, answerSchemas.heads, heads, 'heads')
  entries.push(...log.entries, ...heads.heads)
  const kinds = new Set<string>()
  for (const entry of entries) {
    conforms(t, wireEntrySchema, entry, `entry ${JSON.stringify(entry).slice(0, 80)}`)
    const {kind, ids, edits, tree: root, target} = entry as Record<string, unknown>
    kinds.add(`${kind}${ids ? '+ids' : ''}${edits ? '+edits' : ''}${root ? '+tree' : ''}${target ? '+target' : ''}`)
  }
  t.deepEqual([...kinds].sort(), ['deleted', 'file', 'file+edits', 'file+ids', 'file+tree', 'symlink+target'], 'every form of entry was seen')
  const asked = (await api.post('/v1/ns/home/chunks/missing').send({ids: [sha256Hex(Buffer.from('nope'))]})).body
  conforms(t, answerSchemas.missing, asked, 'chunks/missing')
})
