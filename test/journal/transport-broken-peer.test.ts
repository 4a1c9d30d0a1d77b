/**
 * A server that breaks off an exchange (resets the stream, sends GOAWAY, cuts the connection before or during
 * its answer) makes the request reject with a NetworkError saying what happened, at once, on both transports.
 */
import http2 from 'node:http2'
import test from 'ava'
import {WINDOW_BYTES} from '#src/util/http2-window.js'
import type {Transport} from '#src/journal/http-transport.js'
import {outcomeWithin} from '../helpers/outcome-within.js'
import {afterHeaders, h2Peer, tcpPeer} from './support/raw-peers.js'
import {assertNetworkError, http1, http2 as h2} from './support/transports.js'

const {NGHTTP2_INTERNAL_ERROR, NGHTTP2_NO_ERROR} = http2.constants
const LARGE = Buffer.alloc(WINDOW_BYTES + 8 * 1024 * 1024, 'x')
const BOUND_MS = 5000

const post = (transport: Transport) => transport.request('POST', '/v1/ns/home/packs', {body: LARGE, idleMs: 10_000, maxBytes: 1 << 20})
const get = (transport: Transport) => transport.request('GET', '/v1/health', {idleMs: 10_000, maxBytes: 1 << 20})

test('HTTP/2: a stream reset by the server while the body is sent is a network error naming the reset', async (t) => {
  const url = await h2Peer(t, (stream) => stream.once('data', () => stream.close(NGHTTP2_INTERNAL_ERROR)))
  assertNetworkError(t, await outcomeWithin(post(h2(t, url)), BOUND_MS), /: the server reset the stream \(INTERNAL_ERROR\)$/)
})

test('HTTP/2: a request left out by a GOAWAY is sent again on a new session', async (t) => {
  const sessions = new Set<http2.ServerHttp2Session>()
  const url = await h2Peer(t, (stream, session) => {
    // Each session answers its first request and refuses the next one (stream 3) as it shuts down.
    if (sessions.has(session)) return void session.goaway(NGHTTP2_NO_ERROR, 1)
    sessions.add(session)
    stream.respond({':status': 200})
    stream.end('ok')
  })
  const transport = h2(t, url)
  t.like(await outcomeWithin(get(transport), BOUND_MS), {resolved: {status: 200}})
  t.like(await outcomeWithin(get(transport), BOUND_MS), {resolved: {status: 200}})
  t.is(sessions.size, 2)
})

test('HTTP/2: a GOAWAY for an error, the stream unanswered, is a network error naming it', async (t) => {
  const url = await h2Peer(t, (_stream, session) => session.goaway(NGHTTP2_INTERNAL_ERROR, 1))
  assertNetworkError(t, await outcomeWithin(post(h2(t, url)), BOUND_MS), /: the server went away \(GOAWAY INTERNAL_ERROR\)$/)
})

test('HTTP/2: a GOAWAY that keeps the stream, then the connection cut, is a network error', async (t) => {
  const url = await h2Peer(t, (_stream, session, cut) => {
    session.goaway(NGHTTP2_NO_ERROR, 1)
    setImmediate(cut)
  })
  assertNetworkError(t, await outcomeWithin(post(h2(t, url)), BOUND_MS), /: ECONNRESET$/)
})

test('HTTP/2: the connection cut in the middle of the answer is a network error', async (t) => {
  const url = await h2Peer(t, (stream, _session, cut) => {
    stream.respond({':status': 200, 'content-length': '1000'})
    stream.write('x'.repeat(10), cut)
  })
  assertNetworkError(t, await outcomeWithin(get(h2(t, url)), BOUND_MS), /: the answer was cut short$/)
})

test('HTTP/1.1: a connection reset while the body is sent is a network error', async (t) => {
  const url = await tcpPeer(t, (socket) => afterHeaders(socket, () => socket.resetAndDestroy()))
  assertNetworkError(t, await outcomeWithin(post(http1(t, url)), BOUND_MS), /ECONNRESET|EPIPE/)
})

test('HTTP/1.1: a connection closed before an answer is a network error', async (t) => {
  const url = await tcpPeer(t, (socket) => afterHeaders(socket, () => socket.end()))
  assertNetworkError(t, await outcomeWithin(get(http1(t, url)), BOUND_MS), /ECONNRESET/)
})

test('HTTP/1.1: the connection cut in the middle of the answer is a network error', async (t) => {
  const url = await tcpPeer(t, (socket) =>
    afterHeaders(socket, () => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${'x'.repeat(10)}`, () => socket.destroy())),
  )
  assertNetworkError(t, await outcomeWithin(get(http1(t, url)), BOUND_MS), /ECONNRESET/)
})
