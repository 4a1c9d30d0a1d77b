/**
 * Hand-made servers on loopback ports that misbehave on purpose (answer early, reset, go away, trickle, hang up):
 * what the transports must survive is exactly what a real server never does on its own. Each is closed, with
 * every connection it took, when the test ends.
 */
import http from 'node:http'
import http2 from 'node:http2'
import net from 'node:net'
import type {ExecutionContext} from 'ava'
import {widenForBody} from '#src/util/http2-window.js'

async function listening(t: ExecutionContext, server: net.Server, sockets: Set<net.Socket>): Promise<string> {
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    server.close()
  })
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
}

/**
 * An HTTP/2 server with our server's flow-control window: a larger body cannot be sent unless it is read.
 * `cut` destroys the session's TCP connection with no frame sent (node refuses to let the session's socket be touched).
 */
export function h2Peer(
  t: ExecutionContext,
  onStream: (stream: http2.ServerHttp2Stream, session: http2.ServerHttp2Session, cut: () => void) => void,
): Promise<string> {
  const server = http2.createServer()
  const connections = new WeakMap<http2.Http2Session, net.Socket>()
  let connecting: net.Socket | undefined
  // Before node's own listener, which makes the session (and announces it) at once.
  server.prependListener('connection', (socket: net.Socket) => (connecting = socket))
  server.on('session', (session) => {
    connections.set(session, connecting!)
    session.on('error', () => {})
  })
  server.on('stream', (stream, headers, flags) => {
    widenForBody(stream.session!, headers, flags)
    stream.on('error', () => {})
    const session = stream.session as http2.ServerHttp2Session
    onStream(stream, session, () => connections.get(session)!.destroy())
  })
  return listening(t, server, new Set())
}

export function h1Peer(t: ExecutionContext, onRequest: http.RequestListener): Promise<string> {
  return listening(t, http.createServer(onRequest), new Set())
}

/** A bare TCP server: it writes whatever bytes the test wants, HTTP or not. */
export function tcpPeer(t: ExecutionContext, onSocket: (socket: net.Socket) => void): Promise<string> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {})
    onSocket(socket)
  })
  return listening(t, server, new Set())
}

/** Reads a socket up to the end of the HTTP request's headers, then calls `then` (the body, if any, is left unread). */
export function afterHeaders(socket: net.Socket, then: () => void): void {
  let head = ''
  const onData = (data: Buffer) => {
    head += data.toString('latin1')
    if (!head.includes('\r\n\r\n')) return
    socket.off('data', onData)
    socket.pause()
    then()
  }
  socket.on('data', onData)
}
