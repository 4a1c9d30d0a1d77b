/**
 * Bad input of every kind gets its clear 4xx error, and the journal and chunk stores of every namespace are
 * exactly as they were; no request answers 500.
 */
import http from 'node:http'
import zlib from 'node:zlib'
import test from 'ava'
import {fc} from '../helpers/fast-check-seed.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import {binary, listen, testServer, type TestServer} from './support/test-server.js'
import {namespaceState} from './support/state.js'
import {idsBase64, version} from './support/versions.js'

const recipe = version('Risotto\n', '@rice{300%g}\n', 'Stir.\n')
const fresh = version('never stored\n')

interface Case {
  name: string
  method?: 'get' | 'post'
  url: string
  token?: 'rw' | 'ro' | 'other' | 'admin' | 'revoked' | 'bogus' | 'none'
  body?: unknown
  raw?: Buffer
  status: number
  code: string
}

/** A server with one committed file in `home`, and tokens of every kind. */
async function seeded(t: Parameters<typeof testServer>[0]) {
  const server = await testServer(t)
  const tokens = {
    rw: await server.token('home'),
    ro: await server.token('home', true),
    other: await server.token('other'),
    admin: await server.adminToken(),
    revoked: await server.token('home'),
    bogus: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    none: '',
  }
  await server.storage.tokens.revoke(tokens.revoked)
  const res = await server
    .as(tokens.rw)
    .post('/v1/ns/home/commit')
    .send({items: [{path: 'Risotto.cook', base: null, manifest: recipe.manifest}], ...recipe.inline})
  t.is(res.body.results[0].status, 'committed')
  await server
    .as(tokens.other)
    .post('/v1/ns/other/commit')
    .send({items: [{path: 'x.cook', base: null, manifest: recipe.manifest}], ...recipe.inline})
  return {server, tokens}
}

async function snapshot(server: TestServer): Promise<unknown> {
  return {home: await namespaceState(server.storage, 'home'), other: await namespaceState(server.storage, 'other')}
}

async function send(server: TestServer, tokens: Record<string, string>, c: Case) {
  const token = tokens[c.token ?? 'rw']
  let call = c.method === 'get' ? server.as(token).get(c.url) : server.as(token).post(c.url)
  if (!token) call = call.unset('Authorization')
  if (c.raw) return call.set('Content-Type', 'application/x-sync-pack').send(c.raw)
  return c.body === undefined ? call : call.send(c.body as object)
}

const item = (fields: Record<string, unknown>) => ({items: [{path: 'new.cook', base: null, manifest: fresh.manifest, ...fields}]})
const badPaths = [
  '../x',
  'a/../../b',
  '/etc/passwd',
  'C:\\x',
  'C:x',
  'a\\b',
  'a\u0000b',
  '',
  'x'.repeat(4097),
  'x/'.repeat(512) + 'x',
  'a/' + 'n'.repeat(256),
  '日'.repeat(100),
  '.sync/config.json',
  '.SYNC/db',
  'notes/.sync/config.json',
  'a//b',
  'a/',
]

const cases: Case[] = [
  ...badPaths.map((path): Case => ({
    name: `path ${JSON.stringify(path.slice(0, 20))}`,
    url: '/v1/ns/home/commit',
    body: item({path}),
    status: 400,
    code: 'E_INVALID_PATH',
  })),
  ...badPaths
    .slice(0, 3)
    .map((path): Case => ({name: `move from ${path}`, url: '/v1/ns/home/commit', body: item({from: {path, base: 1}}), status: 400, code: 'E_INVALID_PATH'})),
  {name: 'log of a bad path', method: 'get', url: '/v1/ns/home/log?path=..%2Fx', status: 400, code: 'E_INVALID_PATH'},
  {name: 'heads after a position too long', method: 'get', url: `/v1/ns/home/heads?after=${'x'.repeat(1025)}`, status: 400, code: 'E_INVALID_INPUT'},
  {name: 'malformed JSON', url: '/v1/ns/home/commit', raw: Buffer.from('{"items": [}'), status: 400, code: 'E_INVALID_INPUT'},
  {name: 'no items', url: '/v1/ns/home/commit', body: {items: []}, status: 400, code: 'E_INVALID_INPUT'},
  {name: 'items not a list', url: '/v1/ns/home/commit', body: {items: 'a'}, status: 400, code: 'E_INVALID_INPUT'},
  {name: 'unknown field', url: '/v1/ns/home/commit', body: item({colour: 'red'}), status: 400, code: 'E_INVALID_INPUT'},
  {name: 'two changes in one item', url: '/v1/ns/home/commit', body: item({deleted: true}), status: 400, code: 'E_INVALID_INPUT'},
  {name: 'no change', url: '/v1/ns/home/commit', body: {items: [{path: 'a', base: null}]}, status: 400, code: 'E_INVALID_INPUT'},
  {name: 'base missing', url: '/v1/ns/home/commit', body: {items: [{path: 'a', deleted: true}]}, status: 400, code: 'E_INVALID_INPUT'},
  {name: 'negative base', url: '/v1/ns/home/commit', body: item({base: -1}), status: 400, code: 'E_INVALID_INPUT'},
  {name: 'fractional base', url: '/v1/ns/home/commit', body: item({base: 1.5}), status: 400, code: 'E_INVALID_INPUT'},
  {name: 'ids not base64', url: '/v1/ns/home/commit', body: item({manifest: {kind: 'file', size: 3, ids: '%%%'}}), status: 400, code: 'E_INVALID_INPUT'},
  {name: 'ids not whole', url: '/v1/ns/home/commit', body: item({manifest: {kind: 'file', size: 3, ids: 'AAAA'}}), status: 400, code: 'E_INVALID_INPUT'},
  {
    name: 'a size its chunks do not make',
    url: '/v1/ns/home/commit',
    body: item({manifest: {...recipe.manifest, size: 1e12}}),
    status: 400,
    code: 'E_INVALID_INPUT',
  },
  {
    name: 'a good item, then one with a 2,143-byte path: neither written',
    url: '/v1/ns/home/commit',
    body: {
      items: [
        {path: 'ok.txt', base: null, manifest: recipe.manifest},
        {path: 'p/'.repeat(1071) + 'x', base: null, manifest: recipe.manifest},
      ],
    },
    status: 400,
    code: 'E_INVALID_PATH',
  },
  {
    name: 'a good item, then one whose size is a lie: neither written',
    url: '/v1/ns/home/commit',
    body: {
      items: [
        {path: 'ok.txt', base: null, manifest: recipe.manifest},
        {path: 'big.txt', base: null, manifest: {...recipe.manifest, size: recipe.size + 1}},
      ],
    },
    status: 400,
    code: 'E_INVALID_INPUT',
  },
  {
    name: 'more chunks than bytes',
    url: '/v1/ns/home/commit',
    body: item({manifest: {kind: 'file', size: 0, ids: fresh.wireIds}}),
    status: 400,
    code: 'E_INVALID_INPUT',
  },
  {name: 'unknown kind', url: '/v1/ns/home/commit', body: item({manifest: {kind: 'fifo'}}), status: 400, code: 'E_INVALID_INPUT'},
  {name: 'edits without base', url: '/v1/ns/home/commit', body: {items: [{path: 'a', base: null, edits: [], size: 0}]}, status: 400, code: 'E_INVALID_INPUT'},
  {
    name: 'edits out of range',
    url: '/v1/ns/home/commit',
    body: {items: [{path: 'Risotto.cook', base: 1, edits: [[9, 1, idsBase64(fresh.ids[0])]], size: 30}]},
    status: 400,
    code: 'E_INVALID_INPUT',
  },
  {name: 'device with a newline', url: '/v1/ns/home/commit', body: {device: 'a\nb', ...item({})}, status: 400, code: 'E_INVALID_INPUT'},
  {name: 'move from itself', url: '/v1/ns/home/commit', body: item({from: {path: 'new.cook', base: 1}}), status: 400, code: 'E_INVALID_INPUT'},
  {
    name: 'a moved deletion',
    url: '/v1/ns/home/commit',
    body: {items: [{path: 'a', base: null, deleted: true, from: {path: 'Risotto.cook', base: 1}}]},
    status: 400,
    code: 'E_INVALID_INPUT',
  },
  {
    name: 'over 1000 items',
    url: '/v1/ns/home/commit',
    body: {items: Array.from({length: 1001}, (_, i) => ({path: `f${i}`, base: null, deleted: true}))},
    status: 400,
    code: 'E_INVALID_INPUT',
  },
  {name: 'unknown base JID', url: '/v1/ns/home/commit', body: item({base: 999}), status: 404, code: 'E_NOT_FOUND'},
  {name: 'base of another path', url: '/v1/ns/home/commit', body: item({base: 1}), status: 400, code: 'E_INVALID_INPUT'},
  {name: 'unknown move base', url: '/v1/ns/home/commit', body: item({from: {path: 'Risotto.cook', base: 7}}), status: 404, code: 'E_NOT_FOUND'},
  {name: 'inline as a map by id', url: '/v1/ns/home/commit', body: {...item({}), inline: {[fresh.ids[0]]: 'AA=='}}, status: 400, code: 'E_INVALID_INPUT'},
  {name: 'inline text not strings', url: '/v1/ns/home/commit', body: {...item({}), inlineText: [42]}, status: 400, code: 'E_INVALID_INPUT'},
  {name: 'inline not base64', url: '/v1/ns/home/commit', body: {...item({}), inline: ['%%']}, status: 400, code: 'E_INVALID_INPUT'},
  {
    name: 'inline over 1 MiB',
    url: '/v1/ns/home/commit',
    body: {...item({}), inline: [1, 2].map((n) => Buffer.alloc(600_000, n).toString('base64'))},
    status: 413,
    code: 'E_TOO_LARGE',
  },
  {
    name: 'inline text over 1 MiB',
    url: '/v1/ns/home/commit',
    body: {...item({}), inlineText: ['x'.repeat(700_000), 'y'.repeat(700_000)]},
    status: 413,
    code: 'E_TOO_LARGE',
  },
  {name: 'unknown JID', method: 'get', url: '/v1/ns/home/entries/999', status: 404, code: 'E_NOT_FOUND'},
  {name: 'JID 0', method: 'get', url: '/v1/ns/home/entries/0', status: 404, code: 'E_NOT_FOUND'},
  {name: 'JID not a number', method: 'get', url: '/v1/ns/home/entries/abc', status: 400, code: 'E_INVALID_INPUT'},
  {name: 'since past the head', method: 'get', url: '/v1/ns/home/changes?since=99', status: 404, code: 'E_NOT_FOUND'},
  {name: 'negative since', method: 'get', url: '/v1/ns/home/changes?since=-1', status: 400, code: 'E_INVALID_INPUT'},
  {name: 'since twice', method: 'get', url: '/v1/ns/home/changes?since=0&since=1', status: 400, code: 'E_INVALID_INPUT'},
  {name: 'limit 0', method: 'get', url: '/v1/ns/home/changes?limit=0', status: 400, code: 'E_INVALID_INPUT'},
  {name: 'wait not a number', method: 'get', url: '/v1/ns/home/changes?wait=soon', status: 400, code: 'E_INVALID_INPUT'},
  {name: 'log without path', method: 'get', url: '/v1/ns/home/log', status: 400, code: 'E_INVALID_INPUT'},
  {name: 'missing: ids not a list', url: '/v1/ns/home/chunks/missing', body: {ids: 'x'}, status: 400, code: 'E_INVALID_INPUT'},
  {name: 'missing: bad id', url: '/v1/ns/home/chunks/missing', body: {ids: ['xyz']}, status: 400, code: 'E_INVALID_ID'},
  {
    name: 'missing: over 100,000 ids',
    url: '/v1/ns/home/chunks/missing',
    body: {ids: Array.from({length: 100_001}, () => fresh.ids[0])},
    status: 400,
    code: 'E_INVALID_INPUT',
  },
  {name: 'fetch: bad id', url: '/v1/ns/home/packs/fetch', body: {ids: ['12']}, status: 400, code: 'E_INVALID_ID'},
  {name: 'fetch: a chunk of another namespace', url: '/v1/ns/home/packs/fetch', body: {ids: [fresh.ids[0]]}, status: 404, code: 'E_MISSING_CHUNKS'},
  {name: 'pack: garbage', url: '/v1/ns/home/packs', raw: Buffer.from('garbage'), status: 400, code: 'E_BAD_PACK'},
  {name: 'pack: empty body', url: '/v1/ns/home/packs', raw: Buffer.alloc(0), status: 400, code: 'E_BAD_PACK'},
  {
    name: 'pack: a decompression bomb',
    url: '/v1/ns/home/packs',
    raw: zlib.deflateRawSync(Buffer.alloc(300 * 1024 * 1024), {level: 9}),
    status: 413,
    code: 'E_TOO_LARGE',
  },
  {name: 'no token', method: 'get', url: '/v1/ns/home/changes', token: 'none', status: 401, code: 'E_UNAUTHORIZED'},
  {name: 'unknown token', method: 'get', url: '/v1/ns/home/changes', token: 'bogus', status: 401, code: 'E_UNAUTHORIZED'},
  {name: 'revoked token', method: 'get', url: '/v1/ns/home/changes', token: 'revoked', status: 401, code: 'E_UNAUTHORIZED'},
  {name: 'no token, commit', url: '/v1/ns/home/commit', token: 'none', body: item({}), status: 401, code: 'E_UNAUTHORIZED'},
  {name: 'no token, metrics', method: 'get', url: '/metrics', token: 'none', status: 401, code: 'E_UNAUTHORIZED'},
  {name: 'a namespace token reading metrics', method: 'get', url: '/metrics', token: 'rw', status: 403, code: 'E_FORBIDDEN'},
  {name: 'a read-only token reading metrics', method: 'get', url: '/metrics', token: 'ro', status: 403, code: 'E_FORBIDDEN'},
  ...['changes', 'entries/1', 'log?path=Risotto.cook', 'heads'].map((route): Case => ({
    name: `an admin token reading a namespace: ${route}`,
    method: 'get',
    url: `/v1/ns/home/${route}`,
    token: 'admin',
    status: 403,
    code: 'E_FORBIDDEN',
  })),
  {
    name: 'an admin token asking for missing chunks',
    url: '/v1/ns/home/chunks/missing',
    token: 'admin',
    body: {ids: recipe.ids},
    status: 403,
    code: 'E_FORBIDDEN',
  },
  {name: 'an admin token fetching chunks', url: '/v1/ns/home/packs/fetch', token: 'admin', body: {ids: recipe.ids}, status: 403, code: 'E_FORBIDDEN'},
  {name: 'an admin token committing', url: '/v1/ns/home/commit', token: 'admin', body: {...item({}), ...fresh.inline}, status: 403, code: 'E_FORBIDDEN'},
  {name: 'an admin token uploading', url: '/v1/ns/home/packs', token: 'admin', raw: Buffer.from('x'), status: 403, code: 'E_FORBIDDEN'},
  {name: 'read-only token committing', url: '/v1/ns/home/commit', token: 'ro', body: {...item({}), ...fresh.inline}, status: 403, code: 'E_FORBIDDEN'},
  {name: 'read-only token uploading', url: '/v1/ns/home/packs', token: 'ro', raw: Buffer.from('x'), status: 403, code: 'E_FORBIDDEN'},
  ...['changes', 'entries/1', 'log?path=Risotto.cook', 'heads'].map((route): Case => ({
    name: `namespace A reading B: ${route}`,
    method: 'get',
    url: `/v1/ns/home/${route}`,
    token: 'other',
    status: 403,
    code: 'E_FORBIDDEN',
  })),
  {
    name: 'namespace A asking B for missing chunks',
    url: '/v1/ns/home/chunks/missing',
    token: 'other',
    body: {ids: recipe.ids},
    status: 403,
    code: 'E_FORBIDDEN',
  },
  {name: 'namespace A fetching from B', url: '/v1/ns/home/packs/fetch', token: 'other', body: {ids: recipe.ids}, status: 403, code: 'E_FORBIDDEN'},
  {name: 'namespace A committing to B', url: '/v1/ns/home/commit', token: 'other', body: item({}), status: 403, code: 'E_FORBIDDEN'},
  {name: 'unknown route', method: 'get', url: '/v2/anything', status: 404, code: 'E_NOT_FOUND'},
  {name: 'wrong method', method: 'get', url: '/v1/ns/home/commit', status: 404, code: 'E_NOT_FOUND'},
  {name: 'malformed URL escape', method: 'get', url: '/v1/ns/%E0%A4%A/changes', status: 403, code: 'E_FORBIDDEN'},
]

test('every bad request gets its status and code, and changes nothing', async (t) => {
  const {server, tokens} = await seeded(t)
  const before = await snapshot(server)
  for (const c of cases) {
    const res = await send(server, tokens, c)
    t.is(res.status, c.status, `${c.name}: ${JSON.stringify(res.body)}`)
    t.is(res.body?.error?.code, c.code, c.name)
    t.is(typeof res.body?.error?.message, 'string', c.name)
  }
  t.deepEqual(await snapshot(server), before)
})

test('a pack with one chunk that does not match its id stores none of the others', async (t) => {
  const {server, tokens} = await seeded(t)
  const before = await snapshot(server)
  const good = version('one\n', 'two\n', 'three\n').chunks
  const liar = {id: sha256Hex(Buffer.from('claimed')), bytes: Buffer.from('actual')}
  const res = await server
    .as(tokens.rw)
    .post('/v1/ns/home/packs')
    .set('Content-Type', 'application/x-sync-pack')
    .send(await encodePack([...good, liar]))
  t.is(res.status, 422)
  t.deepEqual(res.body.error.data.ids, [liar.id])
  const truncated = await encodePack(good)
  const cut = await server
    .as(tokens.rw)
    .post('/v1/ns/home/packs')
    .set('Content-Type', 'application/x-sync-pack')
    .send(truncated.subarray(0, truncated.length - 3))
  t.is(cut.status, 400)
  t.is(cut.body.error.code, 'E_BAD_PACK')
  t.deepEqual(await snapshot(server), before)
  const missing = await server
    .as(tokens.rw)
    .post('/v1/ns/home/chunks/missing')
    .send({ids: good.map((c) => c.id)})
  t.deepEqual(
    missing.body.missing,
    good.map((c) => c.id),
  )
})

test('a body over its limit is 413, whether declared or not, and changes nothing', async (t) => {
  const server = await testServer(t, {limits: {jsonBody: 4096, pack: {maxCompressed: 4096, maxInflated: 1 << 20}}})
  const token = await server.token('home')
  const before = await namespaceState(server.storage, 'home')
  const big = {items: [{path: 'a', base: null, deleted: true, pad: 'x'.repeat(5000)}]}
  const declared = await server.as(token).post('/v1/ns/home/commit').send(big)
  t.is(declared.status, 413)
  t.is(declared.body.error.code, 'E_TOO_LARGE')
  t.is(declared.headers.connection, 'close')
  // Sent in pieces, without a Content-Length: counted as it arrives.
  const pack = await encodePack(version(...Array.from({length: 200}, (_, i) => `${i} ${'y'.repeat(40)}\n`)).chunks)
  t.true(pack.length > 4096)
  const url = new URL('/v1/ns/home/packs', await listen(t, server))
  const streamed = await new Promise<{status?: number; body: string}>((resolve, reject) => {
    const request = http.request(url, {method: 'POST', headers: {Authorization: `Bearer ${token}`}}, (res) => {
      const parts: Buffer[] = []
      res.on('data', (part: Buffer) => parts.push(part))
      res.on('end', () => resolve({status: res.statusCode, body: Buffer.concat(parts).toString()}))
    })
    request.on('error', reject)
    for (let at = 0; at < pack.length; at += 1000) request.write(pack.subarray(at, at + 1000))
    request.end()
  })
  t.is(streamed.status, 413)
  t.is(JSON.parse(streamed.body).error.code, 'E_TOO_LARGE')
  t.deepEqual(await namespaceState(server.storage, 'home'), before)
})

test('fetch of a chunk the namespace lacks is 404 naming every missing id', async (t) => {
  const {server, tokens} = await seeded(t)
  const res = await server
    .as(tokens.rw)
    .post('/v1/ns/home/packs/fetch')
    .send({ids: [recipe.ids[0], fresh.ids[0]]})
    .buffer(true)
    .parse(binary)
  t.is(res.status, 404)
  const {error} = JSON.parse(res.body.toString())
  t.like(error, {code: 'E_MISSING_CHUNKS', data: {ids: [fresh.ids[0]]}})
})

test('random JSON bodies on every write route: never a 2xx or a 5xx, nothing changed', async (t) => {
  const {server, tokens} = await seeded(t)
  const before = await snapshot(server)
  const routes = ['/v1/ns/home/commit', '/v1/ns/home/chunks/missing', '/v1/ns/home/packs/fetch', '/v1/ns/home/packs']
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...routes), fc.oneof(fc.json(), fc.string()), async (route, text) => {
      const res = await server.as(tokens.rw).post(route).set('Content-Type', 'application/json').send(text)
      return res.status >= 400 && res.status < 500 && typeof res.body?.error?.code === 'string'
    }),
    {seed: 11, numRuns: 300},
  )
  t.deepEqual(await snapshot(server), before)
})
