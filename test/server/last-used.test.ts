/**
 * When a token was last used: kept in memory by the server, written once a minute in one batch (never once a
 * request), and seen by `sync-server token list` in another process. The app factory with a clock moved by hand.
 */
import test from 'ava'
import {LAST_USED_WRITE_MS} from '#server/http/last-used.js'
import {waitFor} from '../helpers/wait-for.js'
import {manualTimer} from './support/manual-timer.js'
import {runServer} from './support/server-process.js'
import {testServer} from './support/test-server.js'

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0)

test("a token's last use is written at most once a minute, one write for all tokens, and token list in another process sees it", async (t) => {
  t.is(LAST_USED_WRITE_MS, 60_000)
  const clock = manualTimer(T0)
  const server = await testServer(t, {setTimer: clock.setTimer, now: clock.now})
  const {tokens} = server.storage
  const laptop = (await tokens.create({rights: 'read-write', namespace: 'home'}, 'laptop')).token
  const phone = (await tokens.create({rights: 'read-only', namespace: 'home'}, 'phone')).token
  const lastUsed = async (name: string) => (await tokens.list('home')).find((info) => info.name === name)?.lastUsed
  // Any write a request began is done once a later write is: LMDB writes one transaction at a time, in order.
  const settled = () => server.token('elsewhere')
  const listed = async (name: string) => {
    const list = await runServer(['token', 'list', '--data', server.dir, '--json'])
    t.is(list.exitCode, 0, String(list.stderr))
    return (JSON.parse(String(list.stdout)) as {tokens: {name: string; namespace: string; lastUsed: string | null}[]}).tokens.find(
      (row) => row.name === name && row.namespace === 'home',
    )?.lastUsed
  }

  await server.as(laptop).get('/v1/ns/home/changes').expect(200)
  clock.advance(30_000)
  await server.as(laptop).get('/v1/ns/home/heads').expect(200)
  await server.as(phone).get('/v1/ns/home/changes').expect(200)
  await settled()
  t.is(await lastUsed('laptop'), undefined, 'no write per request')
  clock.advance(29_999)
  await settled()
  t.is(await lastUsed('laptop'), undefined, 'nothing written before the minute is up')
  t.is(await listed('laptop'), null)

  // A minute after the first use: one write with each token's latest use.
  clock.advance(1)
  await waitFor('the uses to be written', async () => (await lastUsed('laptop')) !== undefined, 10_000)
  t.is(await lastUsed('laptop'), T0 + 30_000)
  t.is(await lastUsed('phone'), T0 + 30_000)
  t.is(await listed('laptop'), new Date(T0 + 30_000).toISOString())

  // A use after the write waits for its own minute, however many requests it makes.
  clock.advance(10_000)
  for (let i = 0; i < 5; i++) await server.as(laptop).get('/v1/ns/home/changes').expect(200)
  clock.advance(59_999)
  await settled()
  t.is(await lastUsed('laptop'), T0 + 30_000, 'the second minute has not run out')
  t.is(await listed('laptop'), new Date(T0 + 30_000).toISOString())
  clock.advance(1)
  await waitFor('the second write', async () => (await lastUsed('laptop')) === T0 + 70_000, 10_000)
  t.is(await lastUsed('phone'), T0 + 30_000, 'a token not used since keeps its last use')
  t.is(await listed('laptop'), new Date(T0 + 70_000).toISOString())
})

test('flush writes the uses not yet written, before their minute is up (the server calls it when it stops)', async (t) => {
  const clock = manualTimer(T0)
  const server = await testServer(t, {setTimer: clock.setTimer, now: clock.now})
  const {tokens} = server.storage
  const laptop = (await tokens.create({rights: 'read-write', namespace: 'home'}, 'laptop')).token
  await tokens.create({rights: 'read-write', namespace: 'home'}, 'phone')
  clock.advance(5000)
  await server.as(laptop).get('/v1/ns/home/changes').expect(200)
  await server.flush()
  t.deepEqual(
    (await tokens.list()).map(({name, lastUsed}) => ({name, lastUsed})),
    [
      {name: 'laptop', lastUsed: T0 + 5000},
      {name: 'phone', lastUsed: undefined},
    ],
  )
})
