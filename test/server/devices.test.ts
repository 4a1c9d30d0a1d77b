/**
 * Devices: what the server saw of each namespace token (last seen, client, cursor, lag, the commit's device name,
 * the last error), listed to an admin token for every namespace and to a namespace's token for its own; kept in
 * memory, written once a minute and when the app flushes, read again by the next server on the data folder.
 */
import type {AddressInfo} from 'node:net'
import test from 'ava'
import {createApp} from '#server/app.js'
import {THROTTLED_WRITE_MS} from '#server/http/throttled-writes.js'
import {dualProtocolServer} from '#server/http/dual-protocol.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {USER_AGENT} from '#src/journal/user-agent.js'
import {PACKAGE_VERSION} from '#src/util/package-version.js'
import {PROTOCOL_VERSION} from '#src/protocol/version.js'
import {waitFor} from '../helpers/wait-for.js'
import {manualTimer} from './support/manual-timer.js'
import {listen, testServer} from './support/test-server.js'
import {version} from './support/versions.js'

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0)
const iso = (ms: number) => new Date(ms).toISOString()

interface WireDevice {
  namespace: string
  token: string
  device?: string
  lastSeen: string
  agent?: string
  cursor?: number
  lag?: number
  lastError?: {time: string; status: number; code: string; message: string; request: string}
}

test('devices: last seen, client, cursor and lag, device name, last error; admin sees all, a namespace token its own', async (t) => {
  const clock = manualTimer(T0)
  const server = await testServer(t, {setTimer: clock.setTimer, now: clock.now})
  const {tokens} = server.storage
  const laptop = (await tokens.create({rights: 'read-write', namespace: 'home'}, 'laptop')).token
  const phone = (await tokens.create({rights: 'read-only', namespace: 'home'}, 'phone')).token
  const work = (await tokens.create({rights: 'read-write', namespace: 'work'}, 'desk')).token
  const admin = (await tokens.create({rights: 'admin'}, 'ops')).token
  const v = version('one\n')
  const commit = (path: string) =>
    server
      .as(laptop)
      .post('/v1/ns/home/commit')
      .set('User-Agent', 'sync/9.9.9')
      .send({device: 'Laptop <b>', items: [{path, base: null, manifest: v.manifest}], ...v.inline})
      .expect(200)
  await commit('a.cook')
  clock.advance(1000)
  await commit('b.cook')
  await commit('c.cook')
  await server.as(phone).get('/v1/ns/home/changes?since=1').set('User-Agent', 'curl/8.0 \u00e9').expect(200)
  clock.advance(1000)
  await server.as(phone).post('/v1/ns/home/commit').send({items: []}).expect(403)
  await server.as(work).get('/v1/ns/work/changes?since=0').expect(200)
  // What people read (log, the devices themselves) does not make a device seen, nor moves its cursor.
  clock.advance(5000)
  await server.as(laptop).get('/v1/ns/home/log?path=a.cook').set('User-Agent', 'Mozilla/5.0').expect(200)

  const all = (await server.as(admin).get('/v1/admin/devices').expect(200)).body as {devices: WireDevice[]}
  t.deepEqual(all.devices, [
    {namespace: 'home', token: 'laptop', device: 'Laptop <b>', lastSeen: iso(T0 + 1000), agent: 'sync/9.9.9'},
    {
      namespace: 'home',
      token: 'phone',
      lastSeen: iso(T0 + 2000),
      agent: 'curl/8.0 ?',
      cursor: 1,
      lag: 2,
      lastError: {time: iso(T0 + 2000), status: 403, code: 'E_FORBIDDEN', message: 'this token is read-only', request: 'POST /v1/ns/home/commit'},
    },
    {namespace: 'work', token: 'desk', lastSeen: iso(T0 + 2000), cursor: 0, lag: 0},
  ])
  // The lag follows the head.
  await commit('d.cook')
  const own = (await server.as(phone).get('/v1/ns/home/devices').expect(200)).body as {devices: WireDevice[]}
  t.deepEqual(
    own.devices.map((device) => [device.token, device.lag]),
    [
      ['laptop', undefined],
      ['phone', 3],
    ],
  )
  // Scopes: a namespace token reads its own namespace's devices only; an admin token no namespace route.
  await server.as(work).get('/v1/ns/home/devices').expect(403)
  await server.as(laptop).get('/v1/admin/devices').expect(403)
  await server.as(admin).get('/v1/ns/home/devices').expect(403)
  t.is((await server.as('nope').get('/v1/admin/devices')).status, 401)
})

test('devices are written once a minute and at flush, and the next server on the data folder lists them', async (t) => {
  t.is(THROTTLED_WRITE_MS, 60_000)
  const clock = manualTimer(T0)
  const server = await testServer(t, {setTimer: clock.setTimer, now: clock.now})
  const laptop = (await server.storage.tokens.create({rights: 'read-write', namespace: 'home'}, 'laptop')).token
  await server.as(laptop).get('/v1/ns/home/changes?since=0').expect(200)
  // Any write a request began is done once a later write is (LMDB writes one transaction at a time).
  await server.token('elsewhere')
  t.deepEqual(await server.storage.devices.list(), [], 'nothing written per request')
  clock.advance(THROTTLED_WRITE_MS)
  await waitFor('the devices to be written', async () => (await server.storage.devices.list()).length === 1, 10_000)
  t.like((await server.storage.devices.list())[0], {namespace: 'home', token: 'laptop', cursor: 0, lastSeen: T0})

  clock.advance(5000)
  await server
    .as(laptop)
    .post('/v1/ns/home/chunks/missing')
    .send({ids: ['x']})
    .expect(400)
  await server.flush()
  t.like((await server.storage.devices.list('home'))[0], {lastSeen: T0 + THROTTLED_WRITE_MS + 5000, lastError: {code: 'E_INVALID_ID', status: 400}})

  // A new app over the same storage (a restarted server) starts from what was written.
  const next = createApp(server.storage, {setTimer: clock.setTimer, now: clock.now})
  const admin = (await server.storage.tokens.create({rights: 'admin'}, 'ops')).token
  const {default: request} = await import('supertest')
  const listed = await request(next.app.callback()).get('/v1/admin/devices').set('Authorization', `Bearer ${admin}`).expect(200)
  t.like((listed.body as {devices: WireDevice[]}).devices[0], {token: 'laptop', cursor: 0, lastError: {code: 'E_INVALID_ID'}})
  await next.flush()
})

test('the sync client says who it is in a short User-Agent, over HTTP/2 and HTTP/1.1', async (t) => {
  t.is(USER_AGENT, `sync/${PACKAGE_VERSION} protocol/${PROTOCOL_VERSION} refs lean`)
  t.regex(PACKAGE_VERSION, /^\d+\.\d+\.\d+/)
  const server = await testServer(t)
  const admin = await server.adminToken()
  const devices = async () => ((await server.as(admin).get('/v1/admin/devices').expect(200)).body as {devices: WireDevice[]}).devices

  const {listener, sessions} = dualProtocolServer(server.callback)
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const session of sessions) session.destroy()
    listener.close()
  })
  const h2 = new JournalClient(
    {
      url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`,
      namespace: 'home',
      token: (await server.storage.tokens.create({rights: 'read-write', namespace: 'home'}, 'h2')).token,
    },
    {timeoutMs: 5000},
  )
  t.teardown(() => h2.close())
  await h2.changes(0)
  const h1 = new JournalClient(
    {url: await listen(t, server), namespace: 'home', token: (await server.storage.tokens.create({rights: 'read-write', namespace: 'home'}, 'h1')).token},
    {timeoutMs: 5000},
  )
  t.teardown(() => h1.close())
  await h1.changes(0)
  t.deepEqual(
    (await devices()).map((device) => [device.token, device.agent, device.cursor]),
    [
      ['h1', USER_AGENT, 0],
      ['h2', USER_AGENT, 0],
    ],
  )
})
