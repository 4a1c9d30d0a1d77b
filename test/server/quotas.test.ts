/**
 * A namespace's quota on the routes that store chunks (server/http/quotas.ts): a pack or a commit that would take
 * the namespace past it is refused with 507 E_NO_SPACE and nothing of it is kept; what stores nothing is always
 * taken; another namespace is not limited by it; a raised quota is read within USAGE_KEPT_MS. Real app, real LMDB.
 */
import test from 'ava'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import {USAGE_KEPT_MS} from '#server/http/quotas.js'
import {randomBytes} from '../helpers/random.js'
import {testServer} from './support/test-server.js'
import {version} from './support/versions.js'

const MiB = 1024 ** 2
/** 150 chunks of 4 KiB that do not compress: 600 KiB stored, as sent. */
const bulky = (seed: number) => version(...Array.from({length: 150}, (_, i) => randomBytes(4096, seed * 1000 + i)))

async function setup(t: Parameters<typeof testServer>[0]) {
  let clock = 1_000_000
  const server = await testServer(t, {now: () => clock})
  const home = server.as(await server.token('home'))
  const other = server.as(await server.token('other'))
  await server.storage.settings.setQuota('home', MiB)
  const upload = async (api: typeof home, ns: string, v: ReturnType<typeof bulky>) =>
    api
      .post(`/v1/ns/${ns}/packs`)
      .set('Content-Type', 'application/x-sync-pack')
      .send(await encodePack(v.chunks))
  return {server, home, other, upload, later: () => (clock += USAGE_KEPT_MS + 1)}
}

test('a pack that would pass the quota is refused (507, nothing kept); another namespace takes it; a raised quota is read within seconds', async (t) => {
  const {server, home, other, upload, later} = await setup(t)
  const [first, second] = [bulky(1), bulky(2)]
  t.is((await upload(home, 'home', first)).status, 200)
  const refused = await upload(home, 'home', second)
  t.is(refused.status, 507)
  t.is(refused.body.error.code, 'E_NO_SPACE')
  t.regex(refused.body.error.message, /^namespace "home" is at its quota: 6\d\d KiB of 1\.0 MiB kept, and this write needs 6\d\d KiB more/)
  t.is((await home.post('/v1/ns/home/chunks/missing').send({ids: second.ids})).body.missing.length, second.ids.length, 'nothing of it kept')
  t.deepEqual((await upload(other, 'other', second)).body, {received: 150, stored: 150})
  await server.storage.settings.setQuota('home', 2 * MiB)
  t.is((await upload(home, 'home', second)).status, 507, 'the quota read a moment ago still holds')
  later()
  t.deepEqual((await upload(home, 'home', second)).body, {received: 150, stored: 150})
})

test('over its quota, a namespace still takes commits that store nothing (of chunks it has, deletions), not new inline chunks', async (t) => {
  const {home, upload} = await setup(t)
  const [first, second] = [bulky(3), bulky(4)]
  t.is((await upload(home, 'home', first)).status, 200)
  const commit = (items: unknown[], inline?: object) => home.post('/v1/ns/home/commit').send({device: 'laptop', items, ...inline})
  t.like((await commit([{path: 'photo.raw', base: null, manifest: first.manifest}])).body.results, [{status: 'committed', jid: 1}])
  const full = await commit([{path: 'other.raw', base: null, manifest: second.manifest}], second.inline)
  t.is(full.status, 507)
  t.is(full.body.error.code, 'E_NO_SPACE')
  t.is((await home.get('/v1/ns/home/changes')).body.head, 1, 'nothing committed')
  t.like((await commit([{path: 'copy.raw', base: null, manifest: first.manifest}])).body.results, [{status: 'committed', jid: 2}])
  t.like((await commit([{path: 'photo.raw', base: 1, deleted: true}])).body.results, [{status: 'committed', jid: 3}])
})
