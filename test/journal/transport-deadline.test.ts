/**
 * Every request ends: a server that never answers is given up on after the idle timeout, one that trickles its
 * answer forever at the request's deadline, and in both cases the request is cancelled on the wire. The default
 * deadline leaves room for a long-poll's wait and a large answer.
 */
import http2 from 'node:http2'
import type net from 'node:net'
import test, {type ExecutionContext} from 'ava'
import {defaultDeadlineMs} from '#src/journal/deadline.js'
import type {Transport} from '#src/journal/http-transport.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {outcomeWithin} from '../helpers/outcome-within.js'
import {tempStore} from '../helpers/store.js'
import {version} from '../server/support/versions.js'
import {afterHeaders, h2Peer, tcpPeer} from './support/raw-peers.js'
import {assertNetworkError, http1, http2 as h2} from './support/transports.js'

const BOUND_MS = 3000
const get = (transport: Transport, deadlineMs?: number) => transport.request('GET', '/v1/health', {idleMs: 300, deadlineMs, maxBytes: 1 << 20})

/** Sends a byte every 20 ms until `stop` resolves: never idle, never done. */
function trickle(write: (byte: string) => void, stop: Promise<unknown>): void {
  const timer = setInterval(() => write('x'), 20)
  void stop.then(() => clearInterval(timer))
}

const closeOf = (socket: net.Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))

test('HTTP/2: a server that never answers is a network error after the idle timeout, and the stream is cancelled', async (t) => {
  let closed!: Promise<number>
  const url = await h2Peer(t, (stream) => (closed = new Promise((resolve) => stream.once('close', () => resolve(stream.rstCode)))))
  assertNetworkError(t, await outcomeWithin(get(h2(t, url)), BOUND_MS), /^no answer from .* within 300 ms$/)
  t.like(await outcomeWithin(closed, BOUND_MS), {resolved: http2.constants.NGHTTP2_CANCEL})
})

test('HTTP/1.1: a server that never answers is a network error after the idle timeout, and the connection is closed', async (t) => {
  let closed!: Promise<void>
  const url = await tcpPeer(t, (socket) => {
    closed = closeOf(socket)
    socket.resume()
  })
  assertNetworkError(t, await outcomeWithin(get(http1(t, url)), BOUND_MS), /^no answer from .* within 300 ms$/)
  t.like(await outcomeWithin(closed, BOUND_MS), {resolved: undefined})
})

test('HTTP/2: an answer trickled forever is cut at the deadline, and the stream is cancelled', async (t) => {
  let closed!: Promise<number>
  const url = await h2Peer(t, (stream) => {
    closed = new Promise((resolve) => stream.once('close', () => resolve(stream.rstCode)))
    stream.respond({':status': 200})
    trickle((byte) => stream.write(byte), closed)
  })
  const outcome = await outcomeWithin(get(h2(t, url), 600), BOUND_MS)
  assertNetworkError(t, outcome, /^no complete answer from .* within the request's deadline of 600 ms$/)
  t.like(await outcomeWithin(closed, BOUND_MS), {resolved: http2.constants.NGHTTP2_CANCEL})
})

test('HTTP/1.1: an answer trickled forever is cut at the deadline, and the connection is closed', async (t) => {
  let closed!: Promise<void>
  const url = await tcpPeer(t, (socket) => {
    closed = closeOf(socket)
    afterHeaders(socket, () => {
      socket.resume()
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n')
      trickle((byte) => socket.write(byte), closed)
    })
  })
  const outcome = await outcomeWithin(get(http1(t, url), 600), BOUND_MS)
  assertNetworkError(t, outcome, /^no complete answer from .* within the request's deadline of 600 ms$/)
  t.like(await outcomeWithin(closed, BOUND_MS), {resolved: undefined})
})

test("by default a request has twice its idle timeout plus its body's time at 256 KiB/s", (t) => {
  t.is(defaultDeadlineMs(30_000, 0), 60_000)
  t.is(defaultDeadlineMs(30_000, 25 * 1024 * 1024), 160_000)
})

/** A client of `url` whose idle timeout is 300 ms: the default deadline of a small request is 600 ms. */
function impatientClient(t: ExecutionContext, url: string): JournalClient {
  const client = new JournalClient({url, namespace: 'home', token: 'x'}, {timeoutMs: 300})
  t.teardown(() => client.close())
  return client
}

test("a long-poll's deadline is past its wait", async (t) => {
  const url = await h2Peer(t, (stream) => {
    // Silent for longer than a small request's deadline, within the wait asked for: a long-poll with no news.
    setTimeout(() => {
      if (stream.closed) return
      stream.respond({':status': 200, 'content-type': 'application/json'})
      stream.end(JSON.stringify({entries: [], last: 0, head: 0, more: false}))
    }, 1000)
  })
  const outcome = await outcomeWithin(impatientClient(t, url).changes(0, {wait: 2}), BOUND_MS)
  t.like(outcome, {resolved: {last: 0, head: 0, more: false}})
})

test("a fetch's deadline leaves time for a large answer", async (t) => {
  const url = await h2Peer(t, (stream) => {
    stream.respond({':status': 500, 'content-type': 'application/json'})
    stream.write('{"error":{"code":"E_SLOW","message":"')
    // Longer than a small request's deadline (600 ms here), as a large pack on a slow link would be.
    const done = new Promise((resolve) => setTimeout(resolve, 1000))
    trickle((byte) => stream.write(byte), done)
    void done.then(() => stream.end('"}}'))
  })
  const {store} = await tempStore(t)
  const outcome = await outcomeWithin(impatientClient(t, url).fetch(store, version('a\n').ids), BOUND_MS)
  t.like('rejected' in outcome ? outcome.rejected : outcome.resolved, {code: 'E_SERVER_REJECTED'})
})
