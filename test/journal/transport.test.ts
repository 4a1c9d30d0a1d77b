/** The client's HTTP: HTTP/2 to a server that speaks it, HTTP/1.1 to one that does not, clear network errors. */
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import test from 'ava'
import {JournalClient} from '#src/journal/journal-client.js'
import {testServer} from '../server/support/test-server.js'
import {productionListener} from './support/production-listener.js'
import {waitFor} from '../helpers/wait-for.js'

test('against our listener the client speaks HTTP/2, and repeated requests cost little', async (t) => {
  const {url, token, sessions} = await productionListener(t)
  const client = new JournalClient({url, namespace: 'home', token})
  t.teardown(() => client.close())
  const sent: number[] = []
  for (let i = 0; i < 4; i++) {
    const before = client.traffic().sent
    await client.changes(0)
    sent.push(client.traffic().sent - before)
  }
  t.is(sessions.size, 1)
  t.log(`bytes sent per request: ${sent.join(', ')}`)
  // The first request goes before the server's SETTINGS, with `Authorization` (never indexed); the second names
  // the token as `sync-token` (indexed: 45 bytes once); from the third on HPACK sends every header but the path
  // as a one-byte reference: 36 bytes, 77 with the token in full.
  const [, second, third, fourth] = sent
  t.true(third <= 40 && fourth <= 40, `repeated requests sent ${third} and ${fourth} bytes`)
  t.true(second > third + 30, `the second request carries the token in full once: ${second} bytes`)
})

test('closing the client closes its connection without a GOAWAY exchange: no byte is sent or received for it', async (t) => {
  const {url, token, sessions} = await productionListener(t)
  const client = new JournalClient({url, namespace: 'home', token})
  await client.changes(0)
  const before = client.traffic()
  client.close()
  await waitFor('the server to see the connection closed', () => sessions.size === 0, 5000)
  t.deepEqual(client.traffic(), before)
})

test('against an HTTP/1-only server the client falls back to HTTP/1.1 and works', async (t) => {
  const server = await testServer(t)
  const token = await server.token('home')
  const http1 = http.createServer(server.callback)
  await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    http1.closeAllConnections()
    http1.close()
  })
  const client = new JournalClient({url: `http://127.0.0.1:${(http1.address() as AddressInfo).port}`, namespace: 'home', token})
  t.teardown(() => client.close())
  t.like(await client.changes(0), {head: 0, entries: []})
  t.like(await client.health(), {ok: true})
})

test('a server that is not there is a network error naming the cause', async (t) => {
  const client = new JournalClient({url: 'http://127.0.0.1:9', namespace: 'home', token: 'x'})
  t.teardown(() => client.close())
  await t.throwsAsync(client.changes(0), {code: 'E_NETWORK', message: /ECONNREFUSED/})
})

test('closing the client while its connection is being made fails the request and nothing else', async (t) => {
  const {url, token} = await productionListener(t)
  // After 0 to 3 turns of the event loop: before the socket connects, and between its connecting and the
  // session's 'connect' event (a window that once threw from the event, ending the process). On loopback the
  // whole exchange can be over within 3 turns: a request answered before the close is answered, not failed.
  for (let turns = 0; turns < 4; turns++) {
    const client = new JournalClient({url, namespace: 'home', token})
    let answered = false
    const asked = client.changes(0).then((page) => ((answered = true), page))
    for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve))
    const answeredBeforeClose = answered
    client.close()
    if (answeredBeforeClose) t.like(await asked, {head: 0}, `answered within ${turns} turns`)
    else await t.throwsAsync(asked, {code: 'E_NETWORK'}, `closed after ${turns} turns`)
  }
  const client = new JournalClient({url, namespace: 'home', token})
  t.teardown(() => client.close())
  t.like(await client.changes(0), {head: 0, entries: []}, 'the process goes on')
})
