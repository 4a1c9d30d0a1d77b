/**
 * One port for HTTP/1.1 and for HTTP/2 without TLS (h2c with prior knowledge, as the sync client speaks it):
 * an HTTP/2 connection starts with its preface, "PRI * HTTP/2.0", which no HTTP/1 request does. Each new
 * connection is handed to the server for its protocol by its first bytes. HTTP/2 carries repeated headers
 * (the bearer token, the content types) as one-byte references: a one-line edit costs hundreds of bytes less.
 */
import http from 'node:http'
import http2 from 'node:http2'
import net from 'node:net'
import {Duplex} from 'node:stream'
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
 * answering once the request's stream has closed (when metrics count its bytes), and node wraps the stream it
 * was given (replaying, below) in a socket of its own: the session is the way back to the connection.
 */
export function connectionOf(req: http.IncomingMessage | http2.Http2ServerRequest): net.Socket {
  const session = 'stream' in req ? req.stream.session : undefined
  return (session && connections.get(session)) ?? (req.socket as net.Socket)
}

/**
 * The socket as a stream that first yields the bytes already read from it. An HTTP/2 session reads a real
 * socket natively and would never see bytes put back with unshift (nodejs/node#17132); given any other Duplex,
 * it reads through JavaScript, so nothing is lost.
 */
function replaying(socket: net.Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => void socket.resume(),
    write: (chunk, encoding, done) => void socket.write(chunk, encoding, done),
    final: (done) => void socket.end(done),
    destroy: (error, done) => {
      socket.destroy(error ?? undefined)
      done(error)
    },
  })
  stream.push(first)
  socket.on('data', (data: Buffer) => {
    if (!stream.push(data)) socket.pause()
  })
  socket.on('end', () => stream.push(null))
  socket.on('close', () => stream.destroy())
  socket.on('error', (error) => stream.destroy(error))
  // What request handlers read of a connection.
  Object.defineProperties(stream, {
    remoteAddress: {get: () => socket.remoteAddress},
    remotePort: {get: () => socket.remotePort},
  })
  return stream
}

export function dualProtocolServer(handler: Handler): DualProtocolServer {
  const http1 = http.createServer(handler as http.RequestListener)
  // node's http.Server starts tracking its connections (for closeIdleConnections, request timeouts) when it
  // begins listening; this one never listens itself, it is handed connections.
  http1.emit('listening')
  const h2 = http2.createServer(handler as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void)
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
      if (first.subarray(0, PREFACE_START.length).equals(PREFACE_START)) {
        // node makes the session and announces it ('session' above) before emit returns.
        connecting = socket
        h2.emit('connection', replaying(socket, first))
        connecting = undefined
      } else {
        // The HTTP/1 parser reads through JavaScript: putting the bytes back is enough.
        socket.unshift(first)
        http1.emit('connection', socket)
        socket.resume()
      }
    })
  })
  return {listener, http1, http2: h2, sessions}
}
