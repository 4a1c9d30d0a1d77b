/**
 * One port for HTTP/1.1 and for HTTP/2 without TLS (h2c with prior knowledge, as the sync client speaks it):
 * an HTTP/2 connection starts with its preface, "PRI * HTTP/2.0", which no HTTP/1 request does. Each new
 * connection is handed to the server for its protocol by its first bytes. HTTP/2 carries repeated headers
 * (the bearer token, the content types) as one-byte references: a one-line edit costs hundreds of bytes less.
 */
import http from 'node:http'
import http2 from 'node:http2'
import net from 'node:net'
import {TOKEN_HEADER_SETTINGS} from '#src/protocol/token-header.js'
import {widenForBody} from '#src/util/http2-window.js'

type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void

export interface DualProtocolServer {
  listener: net.Server
  http1: http.Server
  http2: http2.Http2Server
  /** Open HTTP/2 sessions (each a connection carrying many requests). */
  sessions: Set<http2.ServerHttp2Session>
}

const PREFACE_START = Buffer.from('PRI ')

/** The TCP connection of each HTTP/2 session this module made. */
const connections = new WeakMap<http2.Http2Session, net.Socket>()

/**
 * The TCP connection a request came on, for byte counts. An HTTP/2 request's `socket` is a proxy that stops
 * answering once the request's stream has closed (when metrics count its bytes): the session is the way back to
 * the connection.
 */
export function connectionOf(req: http.IncomingMessage | http2.Http2ServerRequest): net.Socket {
  const session = 'stream' in req ? req.stream.session : undefined
  return (session && connections.get(session)) ?? (req.socket as net.Socket)
}

export function dualProtocolServer(handler: Handler): DualProtocolServer {
  const http1 = http.createServer(handler as http.RequestListener)
  // node's http.Server starts tracking its connections (for closeIdleConnections, request timeouts) when it
  // begins listening; this one never listens itself, it is handed connections.
  http1.emit('listening')
  // The token may come as an indexed header (src/protocol/token-header.ts): 6 bytes of SETTINGS per connection.
  const h2 = http2.createServer(
    {settings: TOKEN_HEADER_SETTINGS as http2.Settings},
    handler as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
  )
  h2.on('stream', (stream, headers, flags) => widenForBody(stream.session!, headers, flags))
  const sessions = new Set<http2.ServerHttp2Session>()
  let connecting: net.Socket | undefined
  h2.on('session', (session) => {
    if (connecting) connections.set(session, connecting)
    sessions.add(session)
    session.once('close', () => sessions.delete(session))
  })
  const listener = net.createServer((socket) => {
    socket.setNoDelay(true)
    socket.on('error', () => socket.destroy())
    socket.once('data', (first: Buffer) => {
      socket.pause()
      // Put back, the first bytes are read again by whichever parser takes the socket: HTTP/1's reads through
      // JavaScript; an HTTP/2 session, which reads the socket natively, first takes what the socket holds
      // (node >= 15, nodejs/node#35475). Both read the socket itself: no stream in JavaScript between the
      // connection and nghttp2, which would cost every frame a few turns of the event loop.
      socket.unshift(first)
      if (first.subarray(0, PREFACE_START.length).equals(PREFACE_START)) {
        // node makes the session and announces it ('session' above) before emit returns.
        connecting = socket
        h2.emit('connection', socket)
        connecting = undefined
      } else {
        http1.emit('connection', socket)
        socket.resume()
      }
    })
  })
  return {listener, http1, http2: h2, sessions}
}
