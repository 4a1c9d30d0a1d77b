/**
 * JSON bodies in `Content-Encoding: br` (docs/protocol.md, Compressed JSON), against the real server through the
 * journal client's own HTTP transport (which hands back the answer's bytes as they came).
 */
import zlib from 'node:zlib'
import test, {type ExecutionContext} from 'ava'
import {HttpTransport} from '#src/journal/http-transport.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import {DEFAULT_LIMITS} from '#src/protocol/limits.js'
import {listen, testServer} from './support/test-server.js'
import {version} from './support/versions.js'

const recipe = version(...Array.from({length: 200}, (_, i) => `Step ${i}: stir the @onion{${i % 4}} for ${i % 9} minutes.\n`))
const commitBody = Buffer.from(JSON.stringify({items: [{path: 'Soup.cook', base: null, manifest: recipe.manifest}], ...recipe.inline}))

async function setup(t: ExecutionContext) {
  const server = await testServer(t)
  const transport = new HttpTransport(await listen(t, server), await server.token('home'))
  t.teardown(() => transport.close())
  const post = (path: string, body: Buffer, headers: {contentEncoding?: string; contentType?: string} = {}) =>
    transport.request('POST', `/v1/ns/home/${path}`, {body, contentType: 'application/json', ...headers, idleMs: 10_000, maxBytes: 1 << 24})
  const get = (path: string, acceptEncoding?: string) => transport.request('GET', `/v1/ns/home/${path}`, {acceptEncoding, idleMs: 10_000, maxBytes: 1 << 24})
  return {post, get}
}

const parsed = (response: {body: Buffer; contentEncoding?: string}) =>
  JSON.parse((response.contentEncoding === 'br' ? zlib.brotliDecompressSync(response.body) : response.body).toString())

test('a commit sent compressed is taken as the same commit sent plain', async (t) => {
  const {post, get} = await setup(t)
  const answer = await post('commit', zlib.brotliCompressSync(commitBody), {contentEncoding: 'br'})
  t.is(answer.status, 200, answer.body.toString())
  // A lean answer (this transport's User-Agent says `lean`): the JID of the committed item.
  t.deepEqual(parsed(answer), {results: [1]})
  t.like(parsed(await get('entries/1')), {entry: {path: 'Soup.cook', size: recipe.size, ids: recipe.wireIds}})
})

test('a compressed body that inflates past the JSON limit is 413 E_TOO_LARGE, and nothing is written', async (t) => {
  const {post, get} = await setup(t)
  // Valid JSON all the way: spaces after the commit, more of them than the limit allows once inflated.
  const bomb = zlib.brotliCompressSync(Buffer.concat([commitBody, Buffer.alloc(DEFAULT_LIMITS.jsonBody, ' ')]))
  t.true(bomb.length < commitBody.length)
  const answer = await post('commit', bomb, {contentEncoding: 'br'})
  t.is(answer.status, 413)
  t.like(parsed(answer), {error: {code: 'E_TOO_LARGE'}})
  t.deepEqual(parsed(await get('changes')), {entries: [], last: 0})
})

test('a body in an encoding the server does not take is 400, a pack in any encoding too', async (t) => {
  const {post, get} = await setup(t)
  const gzip = await post('commit', zlib.gzipSync(commitBody), {contentEncoding: 'gzip'})
  t.is(gzip.status, 400)
  t.like(parsed(gzip), {error: {code: 'E_INVALID_INPUT'}})
  const garbled = await post('commit', commitBody, {contentEncoding: 'br'})
  t.is(garbled.status, 400)
  const pack = await post('packs', await encodePack(recipe.chunks), {contentEncoding: 'br', contentType: 'application/x-sync-pack'})
  t.is(pack.status, 400)
  t.like(parsed(await post('chunks/missing', Buffer.from(JSON.stringify({ids: recipe.ids})))), {missing: recipe.ids})
  t.deepEqual(parsed(await get('changes')), {entries: [], last: 0})
})

test('answers come compressed to a client that takes br, when it pays; plain otherwise', async (t) => {
  const {post, get} = await setup(t)
  t.is((await post('commit', commitBody)).status, 200)
  const plain = await get('changes?inline=262144')
  const compressed = await get('changes?inline=262144', 'gzip, br')
  t.is(plain.contentEncoding, undefined)
  t.is(compressed.contentEncoding, 'br')
  t.true(compressed.body.length < plain.body.length / 2, `${compressed.body.length} of ${plain.body.length}`)
  t.deepEqual(parsed(compressed), parsed(plain))
  // A small answer is not worth it.
  const small = await get('changes?since=1', 'br')
  t.is(small.contentEncoding, undefined)
  t.like(parsed(small), {entries: [], last: 1})
})
