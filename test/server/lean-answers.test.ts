/**
 * Lean answers (docs/protocol.md): to a client whose User-Agent says `lean`, a committed item's result is its JID
 * alone, and a `changes` page leaves out `more` and, when it reaches the head, `head`. Any other client gets the
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

test('a lean client gets changes without more, and without head when the page reaches it; any other gets both', async (t) => {
  const api = await setup(t)
  await commitOne(api, FULL, 'a.md', 'a\n')
  await commitOne(api, FULL, 'b.md', 'b\n')
  const changes = (agent: string, query: string) => api.get(`/v1/ns/home/changes?${query}`).set('User-Agent', agent).parse(jsonAnswer)
  const caughtUp = (await changes(LEAN, 'since=0')).body
  t.is(caughtUp.last, 2)
  t.false('head' in caughtUp || 'more' in caughtUp)
  const paged = (await changes(LEAN, 'since=0&limit=1')).body
  t.like(paged, {last: 1, head: 2})
  t.false('more' in paged)
  t.like((await changes(FULL, 'since=0&limit=1')).body, {last: 1, head: 2, more: true})
  t.like((await changes(FULL, 'since=0')).body, {last: 2, head: 2, more: false})
})
