/**
 * Edit refs (docs/protocol.md): an edit names its inserted chunks by position among the same body's inline chunks
 * instead of by id. A commit may use them (the ids form stays accepted); a `changes` answer uses them only for a
 * client whose User-Agent says `refs`. supertest against the real app.
 */
import test from 'ava'
import {applyEdits} from '#src/manifest/edits.js'
import {idsFromWire} from '#src/manifest/wire.js'
import {jsonAnswer} from './support/json-answer.js'
import {testServer} from './support/test-server.js'
import {idsBase64, version} from './support/versions.js'

const lines = (n: number) => Array.from({length: n}, (_, i) => `line ${i}\n`)
const before = version(...lines(50))
const after = version(...lines(50).map((line, i) => (i === 20 ? 'a changed line\n' : line)))
const REFS_AGENT = 'sync/0.1.0 protocol/2 refs'

async function setup(t: Parameters<typeof testServer>[0]) {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const first = await api.post('/v1/ns/home/commit').send({items: [{path: 'big.cook', base: null, manifest: before.manifest}], ...before.inline})
  t.is(first.status, 200, JSON.stringify(first.body))
  const head = async () => (await server.storage.journal.head('home')) as number
  return {server, api, head}
}

test('a commit whose edit names its inserted chunk by inline position is committed with that chunk', async (t) => {
  const {api} = await setup(t)
  const res = await api
    .post('/v1/ns/home/commit')
    .send({items: [{path: 'big.cook', base: 1, edits: [[20, 1, [0]]], size: after.size}], inlineText: ['a changed line\n']})
  t.is(res.status, 200, JSON.stringify(res.body))
  t.deepEqual(res.body.results, [{status: 'committed', jid: 2}])
  const {body} = await api.get('/v1/ns/home/entries/2')
  t.is(body.entry.ids, after.wireIds)
})

test('the ids form of the same edit is still accepted (clients from before edit refs)', async (t) => {
  const {api} = await setup(t)
  const res = await api
    .post('/v1/ns/home/commit')
    .send({items: [{path: 'big.cook', base: 1, edits: [[20, 1, idsBase64(after.ids[20])]], size: after.size}], inlineText: ['a changed line\n']})
  t.deepEqual(res.body.results, [{status: 'committed', jid: 2}])
})

for (const [name, edits, inline] of [
  ['a position past the inline chunks', [[20, 1, [1]]], {inlineText: ['a changed line\n']}],
  ['a position without inline chunks', [[20, 1, [0]]], {}],
  ['a negative position', [[20, 1, [-1]]], {inlineText: ['a changed line\n']}],
  ['a position that is not a whole number', [[20, 1, [0.5]]], {inlineText: ['a changed line\n']}],
  ['an empty list of positions', [[20, 1, []]], {inlineText: ['a changed line\n']}],
] as const) {
  test(`a commit with ${name} is refused (400) and changes nothing`, async (t) => {
    const {api, head} = await setup(t)
    const res = await api.post('/v1/ns/home/commit').send({items: [{path: 'big.cook', base: 1, edits, size: after.size}], ...inline})
    t.is(res.status, 400)
    t.is(res.body.error.code, 'E_INVALID_INPUT')
    t.is(await head(), 1)
  })
}

test('changes names an inline chunk by position for a client that says refs, by id for any other', async (t) => {
  const {api} = await setup(t)
  await api.post('/v1/ns/home/commit').send({items: [{path: 'big.cook', base: 1, manifest: after.manifest}], inlineText: ['a changed line\n']})
  const withRefs = await api.get('/v1/ns/home/changes?since=1&inline=262144').set('User-Agent', REFS_AGENT).parse(jsonAnswer)
  t.deepEqual(withRefs.body.entries[0].edits, [[20, 1, [0]]])
  t.deepEqual(withRefs.body.inlineText, ['a changed line\n'])
  const old = await api.get('/v1/ns/home/changes?since=1&inline=262144').set('User-Agent', 'sync/0.1.0 protocol/2').parse(jsonAnswer)
  t.deepEqual(old.body.entries[0].edits, [[20, 1, idsBase64(after.ids[20])]])
  // Without inline bytes there is nothing to name by position: ids, whatever the client takes.
  const none = await api.get('/v1/ns/home/changes?since=1').set('User-Agent', REFS_AGENT).parse(jsonAnswer)
  t.true(
    applyEdits(idsFromWire(before.wireIds), [{at: 20, remove: 1, insert: idsFromWire(none.body.entries[0].edits[0][2])}]).equals(idsFromWire(after.wireIds)),
  )
})
