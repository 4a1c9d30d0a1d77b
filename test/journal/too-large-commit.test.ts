/**
 * End to end with the real server: a commit whose body is over the server's limit (and larger than the HTTP/2
 * window) is never left hanging. The journal client checks a large body against the server's advertised limit and
 * does not send it (E_TOO_LARGE); a body sent anyway gets the server's 413, over HTTP/2 too (the server reads
 * such a body to its end first, bounded: answered early, node's HTTP/2 layer reset the stream with
 * ENHANCE_YOUR_CALM before the 413 left: server/http/read-json.ts).
 */
import {randomBytes} from 'node:crypto'
import type {AddressInfo} from 'node:net'
import test, {type ExecutionContext} from 'ava'
import {dualProtocolServer} from '#server/http/dual-protocol.js'
import {WINDOW_BYTES} from '#src/util/http2-window.js'
import {IdList} from '#src/chunk/id-list.js'
import {HttpTransport} from '#src/journal/http-transport.js'
import {Http2Transport} from '#src/journal/http2-transport.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {DEFAULT_LIMITS} from '#src/protocol/limits.js'
import {outcomeWithin} from '../helpers/outcome-within.js'
import {listen, testServer, type TestServer} from '../server/support/test-server.js'

/** About 43 bytes of JSON per id: a body over both the limit and the window. */
const IDS = Math.ceil((Math.max(DEFAULT_LIMITS.jsonBody, WINDOW_BYTES) * 1.2) / 43)

/** Serves the app as sync-server does (HTTP/2 and HTTP/1.1 on one port) until the test ends. */
async function listenDual(t: ExecutionContext, server: TestServer): Promise<string> {
  const {listener, sessions} = dualProtocolServer(server.callback)
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const session of sessions) session.destroy()
    listener.close()
  })
  return `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
}

for (const [protocol, serve] of [
  ['HTTP/2', listenDual],
  ['HTTP/1.1', listen],
] as const) {
  test(`${protocol}: a commit over the server's body limit is not sent: the client says E_TOO_LARGE`, async (t) => {
    const server = await testServer(t)
    const client = new JournalClient({url: await serve(t, server), namespace: 'home', token: await server.token('home')})
    t.teardown(() => client.close())
    const manifest = fileManifest(IdList.fromBuffer(randomBytes(32 * IDS)), IDS * 80)
    const outcome = await outcomeWithin(client.commit([{path: 'huge.txt', base: null, manifest}]), 5000)
    if (!('rejected' in outcome)) return void t.fail('the commit was taken')
    t.like(outcome.rejected, {code: 'E_TOO_LARGE', message: `the request body is over the limit of ${DEFAULT_LIMITS.jsonBody} bytes`})
    t.true(client.traffic().sent < 4096, `only the question of the server's limits went out (${client.traffic().sent} bytes)`)
  })
}

for (const [protocol, serve, transportFor] of [
  ['HTTP/2', listenDual, (url: string, token: string) => new Http2Transport(new URL(url), token)],
  ['HTTP/1.1', listen, (url: string, token: string) => new HttpTransport(url, token)],
] as const) {
  test(`${protocol}: a body over the limit sent anyway gets the server's 413 E_TOO_LARGE, not a hang or a reset`, async (t) => {
    const server = await testServer(t)
    const transport = transportFor(await serve(t, server), await server.token('home'))
    t.teardown(() => transport.close())
    const body = Buffer.from(
      JSON.stringify({items: [{path: 'huge.txt', base: null, manifest: {kind: 'file', size: IDS * 80, ids: randomBytes(32 * IDS).toString('base64')}}]}),
    )
    const outcome = await outcomeWithin(
      transport.request('POST', '/v1/ns/home/commit', {body, contentType: 'application/json', idleMs: 10_000, maxBytes: 1 << 20}),
      10_000,
    )
    if (!('resolved' in outcome)) return void t.fail(`no answer: ${String(outcome.rejected)}`)
    t.is(outcome.resolved.status, 413)
    t.like(JSON.parse(outcome.resolved.body.toString()), {error: {code: 'E_TOO_LARGE'}})
    t.true(transport.traffic().sent > WINDOW_BYTES, 'more than a window of the body was sent')
  })
}
