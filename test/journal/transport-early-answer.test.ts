/**
 * A server may answer before it has read the request's body (413 for a body over its limit): the answer is
 * returned, whatever the body's size, on both transports. The bodies here are larger than the HTTP/2
 * flow-control window and than the sockets' buffers, so they cannot be sent unless the server reads them.
 */
import http2 from 'node:http2'
import type net from 'node:net'
import test from 'ava'
import {WINDOW_BYTES} from '#src/util/http2-window.js'
import type {Transport} from '#src/journal/http-transport.js'
import {outcomeWithin} from '../helpers/outcome-within.js'
import {afterHeaders, h1Peer, h2Peer, tcpPeer} from './support/raw-peers.js'
import {assertAnswer, http1, http2 as h2} from './support/transports.js'

const LARGE = Buffer.alloc(WINDOW_BYTES + 8 * 1024 * 1024, 'x')
const TOO_LARGE = JSON.stringify({error: {code: 'E_TOO_LARGE', message: 'the request body is over the limit of 16777216 bytes'}})
const BOUND_MS = 5000

const post = (transport: Transport) =>
  transport.request('POST', '/v1/ns/home/commit', {body: LARGE, contentType: 'application/json', idleMs: 10_000, maxBytes: 1 << 20})

const response413 = (connection: string) =>
  `HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nContent-Length: ${TOO_LARGE.length}\r\nConnection: ${connection}\r\n\r\n${TOO_LARGE}`

test('HTTP/2: a 413 sent before reading a body larger than the window is returned', async (t) => {
  const url = await h2Peer(t, (stream) => {
    stream.respond({':status': 413, 'content-type': 'application/json'})
    stream.end(TOO_LARGE)
  })
  assertAnswer(t, await outcomeWithin(post(h2(t, url)), BOUND_MS), 413, TOO_LARGE)
})

test('HTTP/2: a 413 from a server that keeps the stream open, reading nothing, is returned and the rest of the body cancelled', async (t) => {
  let closed!: Promise<number>
  const url = await h2Peer(t, (stream) => {
    // Paused, the stream is neither read nor closed by node (it resets a finished stream nobody reads).
    stream.pause()
    closed = new Promise((resolve) => stream.once('close', () => resolve(stream.rstCode)))
    stream.respond({':status': 413, 'content-type': 'application/json'})
    stream.end(TOO_LARGE)
  })
  assertAnswer(t, await outcomeWithin(post(h2(t, url)), BOUND_MS), 413, TOO_LARGE)
  t.like(await outcomeWithin(closed, BOUND_MS), {resolved: http2.constants.NGHTTP2_CANCEL})
})

test('HTTP/1.1: a 413 with Connection: close sent before reading a large body is returned', async (t) => {
  const url = await h1Peer(t, (_request, response) => {
    response.writeHead(413, {'content-type': 'application/json', connection: 'close'})
    response.end(TOO_LARGE)
  })
  assertAnswer(t, await outcomeWithin(post(http1(t, url)), BOUND_MS), 413, TOO_LARGE)
})

test('HTTP/1.1: a 413 from a server that then destroys the connection, the body unread, is returned', async (t) => {
  const url = await tcpPeer(t, (socket) => afterHeaders(socket, () => socket.write(response413('close'), () => socket.destroy())))
  assertAnswer(t, await outcomeWithin(post(http1(t, url)), BOUND_MS), 413, TOO_LARGE)
})

test('HTTP/1.1: a 413 from a server that keeps the connection, reading nothing, is returned and the connection not kept', async (t) => {
  let socket!: net.Socket
  const url = await tcpPeer(t, (accepted) => {
    socket = accepted
    afterHeaders(socket, () => socket.write(response413('keep-alive')))
  })
  assertAnswer(t, await outcomeWithin(post(http1(t, url)), BOUND_MS), 413, TOO_LARGE)
  // Read now, the body would end and the connection go back to the pool for another request: it must close instead.
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.resume()
  t.like(await outcomeWithin(closed, BOUND_MS), {resolved: undefined})
})
