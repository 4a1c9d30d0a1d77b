/**
 * End to end with the real server: a commit whose body is over the server's limit (and larger than the HTTP/2
 * window, so it cannot all be sent) comes back as the server's 413 E_TOO_LARGE through JournalClient, not a hang.
 * Over HTTP/2 our listener (dual-protocol.ts, which feeds the session through a JS stream) often resets such a
 * stream with ENHANCE_YOUR_CALM before its 413 leaves: nghttp2's flood guard trips on the DATA frames still
 * arriving for the stream it closed. Until the server is fixed, that reset, named, is the other outcome allowed.
 */
import {randomBytes} from 'node:crypto'
import type {AddressInfo} from 'node:net'
import test, {type ExecutionContext} from 'ava'
import {dualProtocolServer, WINDOW_BYTES} from '../../server/http/dual-protocol.js'
import {IdList} from '../../src/chunk/id-list.js'
import {JournalClient} from '../../src/journal/journal-client.js'
import {fileManifest} from '../../src/manifest/manifest.js'
import {DEFAULT_LIMITS} from '../../src/protocol/limits.js'
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

for (const [protocol, serve, orReset] of [
  ['HTTP/2', listenDual, true],
  ['HTTP/1.1', listen, false],
] as const) {
  test(`${protocol}: a commit over the body limit gets the server's 413 E_TOO_LARGE`, async (t) => {
    const server = await testServer(t)
    const client = new JournalClient({url: await serve(t, server), namespace: 'home', token: await server.token('home')})
    t.teardown(() => client.close())
    const manifest = fileManifest(IdList.fromBuffer(randomBytes(32 * IDS)), IDS * 80)
    const outcome = await outcomeWithin(client.commit([{path: 'huge.txt', base: null, manifest}]), 5000)
    if (!('rejected' in outcome)) return void t.fail('the commit was taken')
    const error = outcome.rejected as Error & {code: string}
    if (orReset && error.code === 'E_NETWORK') return void t.regex(error.message, /: the server reset the stream \(ENHANCE_YOUR_CALM\)$/)
    t.like(error, {code: 'E_SERVER_REJECTED', data: {status: 413, code: 'E_TOO_LARGE'}})
    t.true(client.traffic().sent > WINDOW_BYTES, 'more than a window of the body was sent')
  })
}
