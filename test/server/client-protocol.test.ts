/**
 * What the server does with the client's announced version and protocol (docs/protocol.md, Versions): a notice
 * header for an older client only, read-only service of protocol 1 (no writes, no tree manifests), and a refusal of
 * protocols below those it serves. supertest against the app, with the User-Agent a sync client sends.
 */
import test from 'ava'
import {createApp} from '#server/app.js'
import {openLmdbStorage} from '#server/storage/lmdb/open-lmdb-storage.js'
import {tempDir} from '../helpers/temp.js'
import {jsonAnswer} from './support/json-answer.js'
import {testServer} from './support/test-server.js'
import {version} from './support/versions.js'

const lines = (n: number) => Array.from({length: n}, (_, i) => `line ${i}\n`)
const agent = (clientVersion: string, protocol: number) => `sync/${clientVersion} protocol/${protocol}`

async function setup(t: Parameters<typeof testServer>[0]) {
  const server = await testServer(t, {latestClient: '0.2.0'})
  const api = server.as(await server.token('home'))
  const small = version('x\n')
  t.is((await api.post('/v1/ns/home/commit').send({items: [{path: 'small.md', base: null, manifest: small.manifest}], ...small.inline})).status, 200)
  return {server, api}
}

test('health names the protocols served and the newest client; only an older client gets the Sync-Latest-Client header', async (t) => {
  const {server, api} = await setup(t)
  const health = await server.as('').get('/v1/health').unset('Authorization')
  t.like(health.body, {protocol: 2, protocols: [2], readOnlyProtocols: [1], latestClient: '0.2.0'})
  const older = await api.get('/v1/ns/home/changes').set('User-Agent', agent('0.1.0', 2)).parse(jsonAnswer)
  t.is(older.headers['sync-latest-client'], '0.2.0')
  for (const [name, userAgent] of [
    ['an up-to-date client', agent('0.2.0', 2)],
    ['a newer client', agent('0.3.0-beta.1', 2)],
    ['another program', 'curl/8.5.0'],
  ]) {
    const answer = await api.get('/v1/ns/home/changes').set('User-Agent', userAgent).parse(jsonAnswer)
    t.is(answer.status, 200)
    t.false('sync-latest-client' in answer.headers, name)
  }
})

test('a protocol-1 client reads but may not write (426, data.readOnly), whatever its token may do', async (t) => {
  const {api} = await setup(t)
  const old = agent('0.1.0', 1)
  t.is((await api.get('/v1/ns/home/changes').set('User-Agent', old)).status, 200)
  const file = version('y\n')
  const commit = await api
    .post('/v1/ns/home/commit')
    .set('User-Agent', old)
    .parse(jsonAnswer)
    .send({items: [{path: 'new.md', base: null, manifest: file.manifest}], ...file.inline})
  t.is(commit.status, 426)
  t.like(commit.body.error, {code: 'E_CLIENT_TOO_OLD', data: {readOnly: true, latestClient: '0.2.0', protocols: [2], readOnlyProtocols: [1]}})
  const packs = await api
    .post('/v1/ns/home/packs')
    .set('User-Agent', old)
    .parse(jsonAnswer)
    .set('Content-Type', 'application/x-sync-pack')
    .send(Buffer.alloc(0))
  t.is(packs.status, 426)
  const {body} = await api.get('/v1/ns/home/changes').set('User-Agent', agent('0.1.0', 2)).parse(jsonAnswer)
  t.deepEqual(
    body.entries.map((e: {path: string}) => e.path),
    ['small.md'],
    'nothing was written',
  )
})

test('a protocol-1 client is never handed a tree: changes end before it, and a request that would start with one is refused', async (t) => {
  const {api} = await setup(t)
  const big = version(...lines(5000))
  const after = version('after\n')
  const commit = await api.post('/v1/ns/home/commit').send({items: [{path: 'big.txt', base: null, manifest: big.manifest}], ...big.inline})
  t.is(commit.status, 200, JSON.stringify(commit.body))
  t.is((await api.post('/v1/ns/home/commit').send({items: [{path: 'after.md', base: null, manifest: after.manifest}], ...after.inline})).status, 200)
  const current = await api.get('/v1/ns/home/changes')
  t.truthy(current.body.entries.find((e: {path: string}) => e.path === 'big.txt').tree, 'kept and sent as a tree to protocol 2')

  const old = agent('0.1.0', 1)
  const first = await api.get('/v1/ns/home/changes').set('User-Agent', old).parse(jsonAnswer)
  t.like(first.body, {last: 1, head: 3, more: true})
  t.deepEqual(
    first.body.entries.map((e: {path: string}) => e.path),
    ['small.md'],
  )
  for (const request of ['/v1/ns/home/changes?since=1', '/v1/ns/home/entries/2', '/v1/ns/home/heads']) {
    const refused = await api.get(request).set('User-Agent', old).parse(jsonAnswer)
    t.is(refused.status, 426, request)
    t.like(refused.body.error, {code: 'E_CLIENT_TOO_OLD', data: {jid: 2}})
    t.regex(refused.body.error.message, /keeps big\.txt \(jid 2\) as a tree manifest/)
  }
})

test('a protocol below every one the server serves is refused on every route but health', async (t) => {
  const {server, api} = await setup(t)
  const ancient = agent('0.0.1', 0)
  const refused = await api.get('/v1/ns/home/changes').set('User-Agent', ancient).parse(jsonAnswer)
  t.is(refused.status, 426)
  t.like(refused.body.error, {code: 'E_CLIENT_TOO_OLD', data: {latestClient: '0.2.0'}})
  t.is(refused.headers['sync-latest-client'], '0.2.0')
  t.is((await server.as('').get('/v1/health').unset('Authorization').set('User-Agent', ancient)).status, 200)
})

test('a latest client that is not a version is refused when the app is made', async (t) => {
  const storage = await openLmdbStorage(await tempDir(t, 'sync-server-'))
  t.teardown(() => storage.close())
  t.throws(() => createApp(storage, {latestClient: 'soon'}), {code: 'E_INVALID_INPUT', message: /latest client "soon"/})
})

test("a sync client's JSON answers carry no Content-Type (it knows each route's format); another program's say application/json", async (t) => {
  const {api} = await setup(t)
  for (const path of ['/v1/ns/home/changes', '/v1/ns/nowhere/changes']) {
    const client = await api.get(path).set('User-Agent', agent('0.2.0', 2)).parse(jsonAnswer)
    t.false('content-type' in client.headers, path)
    t.truthy(client.body, 'the body is JSON all the same')
    const other = await api.get(path).set('User-Agent', 'curl/8.5.0')
    t.is(other.headers['content-type'], 'application/json', path)
    t.deepEqual(other.body, client.body)
  }
})
