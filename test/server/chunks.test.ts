import test from 'ava'
import {decodePack} from '#src/protocol/wire-pack/decode.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import {PACK_TYPE, PACK_WITHOUT_IDS} from '#src/protocol/wire-pack/pack-chunk.js'
import {openLmdbStorage} from '#server/storage/lmdb/open-lmdb-storage.js'
import {randomBytes} from '../helpers/random.js'
import {binary, testServer} from './support/test-server.js'
import {version} from './support/versions.js'

const file = version(...Array.from({length: 300}, (_, i) => `step ${i}: stir\n`))

test('an uploaded pack is verified, stored, durable, and counted once', async (t) => {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const upload = (pack: Buffer) => api.post('/v1/ns/home/packs').set('Content-Type', 'application/x-sync-pack').send(pack)
  const first = await upload(await encodePack(file.chunks))
  t.deepEqual(first.body, {received: 300, stored: 300})
  const again = await upload(await encodePack(file.chunks.slice(0, 10)))
  t.deepEqual(again.body, {received: 10, stored: 0})
  t.deepEqual((await api.post('/v1/ns/home/chunks/missing').send({ids: file.ids})).body, {missing: []})
  // Durable: another opening of the data folder sees them.
  await server.storage.close()
  const reopened = await openLmdbStorage(server.dir)
  t.teardown(() => reopened.close())
  t.deepEqual(await (await reopened.chunks.namespace('home')).missing(file.ids), [])
})

test('fetch returns the chunks asked for, in order, without repeats', async (t) => {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  await api
    .post('/v1/ns/home/packs')
    .set('Content-Type', 'application/x-sync-pack')
    .send(await encodePack(file.chunks))
  const asked = [file.ids[5], file.ids[2], file.ids[5], file.ids[299]]
  const res = await api.post('/v1/ns/home/packs/fetch').send({ids: asked}).buffer(true).parse(binary)
  t.is(res.status, 200)
  t.is(res.headers['content-type'], 'application/x-sync-pack')
  const chunks = await decodePack(res.body)
  t.deepEqual(
    chunks.map((c) => c.id),
    [file.ids[5], file.ids[2], file.ids[299]],
  )
  t.is(chunks[0].bytes.toString(), 'step 5: stir\n')
})

test('a fetch answer holds what fits in its budget, always at least one chunk, the rest left for the next ask', async (t) => {
  const server = await testServer(t, {limits: {fetchPack: 100_000}})
  const api = server.as(await server.token('home'))
  const big = [1, 2, 3].map((seed) => randomBytes(60_000, seed))
  const chunks = version(...big.map((bytes) => bytes.toString('latin1'))).chunks
  await api
    .post('/v1/ns/home/packs')
    .set('Content-Type', 'application/x-sync-pack')
    .send(await encodePack(chunks))
  const ids = chunks.map((c) => c.id)
  const first = await decodePack((await api.post('/v1/ns/home/packs/fetch').send({ids}).buffer(true).parse(binary)).body)
  t.deepEqual(
    first.map((c) => c.id),
    ids.slice(0, 1),
  )
  const rest = await decodePack(
    (
      await api
        .post('/v1/ns/home/packs/fetch')
        .send({ids: ids.slice(1)})
        .buffer(true)
        .parse(binary)
    ).body,
  )
  t.deepEqual(
    rest.map((c) => c.id),
    ids.slice(1, 2),
  )
})

test('namespaces do not share chunks: B cannot learn or fetch what A holds', async (t) => {
  const server = await testServer(t)
  const a = server.as(await server.token('a'))
  const b = server.as(await server.token('b'))
  await a
    .post('/v1/ns/a/packs')
    .set('Content-Type', 'application/x-sync-pack')
    .send(await encodePack(file.chunks))
  t.deepEqual((await b.post('/v1/ns/b/chunks/missing').send({ids: file.ids.slice(0, 3)})).body, {missing: file.ids.slice(0, 3)})
  const fetched = await b.post('/v1/ns/b/packs/fetch').send({ids: file.ids.slice(0, 1)})
  t.is(fetched.status, 404)
  t.is(fetched.body.error.code, 'E_MISSING_CHUNKS')
  // Nor commit a file made of them without sending them.
  const commit = await b.post('/v1/ns/b/commit').send({items: [{path: 'x', base: null, manifest: file.manifest}]})
  t.is(commit.body.results[0].status, 'missing')
})

test('packs without ids: taken on upload; sent to a client that accepts them, and only to one that does', async (t) => {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const upload = await api
    .post('/v1/ns/home/packs')
    .set('Content-Type', PACK_TYPE)
    .send(await encodePack(file.chunks, {ids: false}))
  t.deepEqual(upload.body, {received: 300, stored: 300})
  const fetch = async (accept?: string) => {
    const request = api.post('/v1/ns/home/packs/fetch')
    if (accept) request.set('Accept', accept)
    return (await request.send({ids: file.ids}).buffer(true).parse(binary)).body as Buffer
  }
  const [withIds, withoutIds] = [await fetch(), await fetch(PACK_WITHOUT_IDS)]
  for (const pack of [withIds, withoutIds])
    t.deepEqual(
      (await decodePack(pack)).map((c) => c.id),
      file.ids,
    )
  t.true(withoutIds.length < withIds.length / 2, `${withoutIds.length} bytes without ids, ${withIds.length} with`)
  // An older client's pack (ids in every block) is the same pack as before.
  t.deepEqual(withIds, await encodePack(file.chunks))
})
