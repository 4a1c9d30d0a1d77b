/**
 * Lean answers (docs/protocol.md): to a client whose User-Agent says `lean`, a committed item's result is its JID
 * alone, and a `changes` page leaves out `more`, `head` when it reaches it, and a file entry's `kind`. Any other client gets the
 * full forms. supertest against the real app.
 */
import test from 'ava'
import {jsonAnswer} from './support/json-answer.js'
import {testServer} from './support/test-server.js'
import {version} from './support/versions.js'

const LEAN = 'sync/0.1.0 protocol/2 refs lean'
const FULL = 'sync/0.1.0 protocol/2 refs'

async function setup(t: Parameters<typeof testServer>[0]) {
  const server = await testServer(t)
  return server.as(await server.token('home'))
}

const commitOne = (api: Awaited<ReturnType<typeof setup>>, agent: string, path: string, text: string) => {
  const file = version(text)
  return api
    .post('/v1/ns/home/commit')
    .set('User-Agent', agent)
    .parse(jsonAnswer)
    .send({items: [{path, base: null, manifest: file.manifest}], ...file.inline})
}

test('a lean client gets a committed item as its JID; any other the full result', async (t) => {
  const api = await setup(t)
  t.deepEqual((await commitOne(api, LEAN, 'a.md', 'a\n')).body, {results: [1]})
  t.deepEqual((await commitOne(api, FULL, 'b.md', 'b\n')).body, {results: [{status: 'committed', jid: 2}]})
  const conflict = await commitOne(api, LEAN, 'a.md', 'c\n')
  t.like(conflict.body.results[0], {status: 'conflict', head: {jid: 1}}, 'anything but a plain commit keeps its full form')
})

test('a lean client gets changes without more, without head when the page reaches it, and file entries without kind; any other gets them all', async (t) => {
  const api = await setup(t)
  await commitOne(api, FULL, 'a.md', 'a\n')
  await commitOne(api, FULL, 'b.md', 'b\n')
  const changes = (agent: string, query: string) => api.get(`/v1/ns/home/changes?${query}`).set('User-Agent', agent).parse(jsonAnswer)
  await api.post('/v1/ns/home/commit').send({items: [{path: 'b.md', base: 2, deleted: true}]})
  const caughtUp = (await changes(LEAN, 'since=0')).body
  t.is(caughtUp.last, 3)
  t.false('head' in caughtUp || 'more' in caughtUp)
  t.deepEqual(
    caughtUp.entries.map((entry: {kind?: string}) => entry.kind),
    [undefined, undefined, 'deleted'],
    'a file has no kind; anything else keeps it',
  )
  t.deepEqual(
    (await changes(FULL, 'since=0')).body.entries.map((entry: {kind: string}) => entry.kind),
    ['file', 'file', 'deleted'],
  )
  const paged = (await changes(LEAN, 'since=0&limit=1')).body
  t.like(paged, {last: 1, head: 3})
  t.false('more' in paged)
  t.like((await changes(FULL, 'since=0&limit=1')).body, {last: 1, head: 3, more: true})
  t.like((await changes(FULL, 'since=0')).body, {last: 3, head: 3, more: false})
})
