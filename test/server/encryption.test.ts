/**
 * An encrypted namespace on the server (docs/protocol.md, Encryption): its setting is set once while the namespace
 * is empty and read by any token of it; it answers only clients that seal (User-Agent `sealed`), and refuses the
 * plaintext forms (plain paths and link targets, edits, trees, inline bytes); a plain namespace refuses a sealing
 * client and nothing new otherwise. supertest against the real app.
 */
import test from 'ava'
import {keyCheck, subKeys} from '#src/crypto/sub-keys.js'
import {sealChunk} from '#src/crypto/sealed-chunks.js'
import {sealPath, sealTarget} from '#src/crypto/sealed-names.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import {jsonAnswer} from './support/json-answer.js'
import {testServer} from './support/test-server.js'
import {idsBase64, version} from './support/versions.js'

const OLD_AGENT = 'sync/0.1.0 protocol/2 refs'
const SEALED_AGENT = 'sync/0.1.0 protocol/2 refs sealed'
const keys = subKeys(Buffer.alloc(32, 7))
const setting = {
  encrypted: true,
  kdf: {name: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: Buffer.alloc(16, 1).toString('base64')},
  check: keyCheck(keys),
}

async function encrypted(t: Parameters<typeof testServer>[0]) {
  const server = await testServer(t)
  const token = await server.token('vault')
  const api = server.as(token)
  const made = await api.post('/v1/ns/vault/encryption').set('User-Agent', SEALED_AGENT).parse(jsonAnswer).send(setting)
  t.is(made.status, 200, JSON.stringify(made.body))
  const head = async () => server.storage.journal.head('vault')
  return {server, api, token, head}
}

/** A sealed chunk uploaded in a pack; its sealed id. */
async function uploadSealed(api: Awaited<ReturnType<typeof encrypted>>['api'], plain: string) {
  const chunk = sealChunk(Buffer.from(plain), keys)
  const res = await api
    .post('/v1/ns/vault/packs')
    .set('User-Agent', SEALED_AGENT)
    .parse(jsonAnswer)
    .set('Content-Type', 'application/x-sync-pack')
    .send(await encodePack([chunk]))
  return {res, chunk}
}

test('the setting is read by any token of the namespace, whatever its client', async (t) => {
  const {server} = await encrypted(t)
  const reader = server.as(await server.token('vault', true))
  const res = await reader.get('/v1/ns/vault/encryption').set('User-Agent', OLD_AGENT).parse(jsonAnswer)
  t.is(res.status, 200)
  t.deepEqual(res.body, setting)
  const plain = server.as(await server.token('home'))
  t.deepEqual((await plain.get('/v1/ns/home/encryption')).body, {encrypted: false})
})

test('the first setting is kept: a second one gets the first back', async (t) => {
  const {api} = await encrypted(t)
  const other = {...setting, kdf: {...setting.kdf, salt: Buffer.alloc(16, 2).toString('base64')}}
  const res = await api.post('/v1/ns/vault/encryption').set('User-Agent', SEALED_AGENT).parse(jsonAnswer).send(other)
  t.is(res.status, 200)
  t.deepEqual(res.body, setting)
})

test('a namespace with files is not made encrypted (409) and stays plain', async (t) => {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const v = version('a line\n')
  t.is((await api.post('/v1/ns/home/commit').send({items: [{path: 'a.cook', base: null, manifest: v.manifest}], ...v.inline})).status, 200)
  const res = await api.post('/v1/ns/home/encryption').send(setting)
  t.is(res.status, 409)
  t.is(res.body.error.code, 'E_ENCRYPTION')
  t.is(await server.storage.settings.encryption('home'), undefined)
})

for (const [name, body] of [
  ['a salt of the wrong length', {...setting, kdf: {...setting.kdf, salt: 'AAAA'}}],
  ['a cost below 2^14', {...setting, kdf: {...setting.kdf, N: 1024}}],
  ['no key check', {encrypted: true, kdf: setting.kdf}],
  ['an unknown field', {...setting, key: 'AAAA'}],
] as const) {
  test(`a setting with ${name} is refused (400) and nothing is set`, async (t) => {
    const server = await testServer(t)
    const res = await server
      .as(await server.token('vault'))
      .post('/v1/ns/vault/encryption')
      .send(body)
    t.is(res.status, 400)
    t.is(await server.storage.settings.encryption('vault'), undefined)
  })
}

test('a client that does not seal (an older one, or a plain folder) is refused every read and write of an encrypted namespace', async (t) => {
  const {api, head} = await encrypted(t)
  const v = version('a line\n')
  const answers = [
    await api.get('/v1/ns/vault/changes?since=0').set('User-Agent', OLD_AGENT).parse(jsonAnswer),
    await api.get('/v1/ns/vault/heads').set('User-Agent', OLD_AGENT).parse(jsonAnswer),
    await api.post('/v1/ns/vault/chunks/missing').set('User-Agent', OLD_AGENT).parse(jsonAnswer).send({ids: v.ids}),
    await api
      .post('/v1/ns/vault/commit')
      .set('User-Agent', OLD_AGENT)
      .parse(jsonAnswer)
      .send({items: [{path: 'a.cook', base: null, manifest: v.manifest}], ...v.inline}),
    // Another program (no sync User-Agent) too.
    await api.get('/v1/ns/vault/changes?since=0'),
  ]
  for (const res of answers) {
    t.is(res.status, 409)
    t.is(res.body.error.code, 'E_ENCRYPTION')
    t.regex(res.body.error.message, /sync init --encrypt/)
  }
  t.is(await head(), 0)
})

test('a sealing client is refused by a plain namespace, which still serves the older client read and write', async (t) => {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const refused = await api.get('/v1/ns/home/changes?since=0').set('User-Agent', SEALED_AGENT).parse(jsonAnswer)
  t.is(refused.status, 409)
  t.is(refused.body.error.code, 'E_ENCRYPTION')
  const v = version('a line\n')
  const committed = await api
    .post('/v1/ns/home/commit')
    .set('User-Agent', OLD_AGENT)
    .parse(jsonAnswer)
    .send({items: [{path: 'a.cook', base: null, manifest: v.manifest}], ...v.inline})
  t.deepEqual(committed.body.results, [{status: 'committed', jid: 1}])
  t.is((await api.get('/v1/ns/home/changes?since=0').set('User-Agent', OLD_AGENT).parse(jsonAnswer)).body.entries.length, 1)
})

test('sealed paths, sealed chunks and sealed link targets are committed, and read back whole (no edits)', async (t) => {
  const {api} = await encrypted(t)
  const {res, chunk} = await uploadSealed(api, 'a secret line\n')
  t.is(res.status, 200, JSON.stringify(res.body))
  const path = sealPath('recipes/secret.cook', keys)
  const manifest = {kind: 'file', size: chunk.bytes.length, ids: idsBase64(chunk.id)}
  const link = {kind: 'symlink', target: sealTarget('recipes/secret.cook', keys)}
  const commit = await api
    .post('/v1/ns/vault/commit')
    .set('User-Agent', SEALED_AGENT)
    .parse(jsonAnswer)
    .send({
      items: [
        {path, base: null, manifest},
        {path: sealPath('link', keys), base: null, manifest: link},
      ],
    })
  t.deepEqual(commit.body.results, [
    {status: 'committed', jid: 1},
    {status: 'committed', jid: 2},
  ])
  const second = await uploadSealed(api, 'another line\n')
  const edited = {kind: 'file', size: chunk.bytes.length + second.chunk.bytes.length, ids: idsBase64(chunk.id, second.chunk.id)}
  await api
    .post('/v1/ns/vault/commit')
    .set('User-Agent', SEALED_AGENT)
    .parse(jsonAnswer)
    .send({items: [{path, base: 1, manifest: edited}]})
  const {body} = await api.get('/v1/ns/vault/changes?since=2').set('User-Agent', SEALED_AGENT).parse(jsonAnswer)
  t.is(body.entries[0].ids, edited.ids)
  t.is(body.entries[0].edits, undefined)
})

test('the plaintext forms are refused in an encrypted namespace (409), and nothing is written', async (t) => {
  const {api, head} = await encrypted(t)
  const {chunk} = await uploadSealed(api, 'a secret line\n')
  const path = sealPath('a.cook', keys)
  const manifest = {kind: 'file', size: chunk.bytes.length, ids: idsBase64(chunk.id)}
  const committed = await api
    .post('/v1/ns/vault/commit')
    .set('User-Agent', SEALED_AGENT)
    .parse(jsonAnswer)
    .send({items: [{path, base: null, manifest}]})
  t.is(committed.status, 200)
  const plain = version('a plain line\n')
  for (const body of [
    {items: [{path: 'recipes/plain.cook', base: null, manifest}]},
    {items: [{path: sealPath('b.cook', keys), base: null, from: {path: 'a.cook', base: 1}, manifest}]},
    {items: [{path: sealPath('c.cook', keys), base: null, manifest: plain.manifest}], inlineText: ['a plain line\n']},
    {items: [{path: sealPath('c.cook', keys), base: null, manifest: plain.manifest}], inline: [Buffer.from('a plain line\n').toString('base64')]},
    {items: [{path, base: 1, edits: [[1, 0, idsBase64(chunk.id)]], size: 2 * chunk.bytes.length}]},
    {items: [{path: sealPath('link', keys), base: null, manifest: {kind: 'symlink', target: 'recipes/plain.cook'}}]},
    {items: [{path: sealPath('t', keys), base: null, manifest: {kind: 'file', size: 1, tree: chunk.id, depth: 1, count: 1}}]},
  ]) {
    const res = await api.post('/v1/ns/vault/commit').set('User-Agent', SEALED_AGENT).parse(jsonAnswer).send(body)
    t.is(res.status, 409, JSON.stringify(body))
    t.is(res.body.error.code, 'E_ENCRYPTION')
  }
  t.is(await head(), 1)
})
