/**
 * HTTP/2 without TLS (h2c, prior knowledge) for the journal client on `http:` URLs: one session per server,
 * every request a stream on it. HPACK sends a repeated header (the bearer token, the content types, the path)
 * as a one-byte reference, so a small request costs about 30 bytes of framing and headers instead of ~200, and
 * a one-line edit about half its bytes on the wire. The same contract as HttpTransport: idle timeout per
 * request, bytes counted on the socket, NetworkError when the server cannot be reached, the signal's AbortError
 * when aborted, and one more try on a fresh session when the server had closed the old one before answering.
 * A server (or proxy) that does not speak HTTP/2 makes it fall back to HTTP/1.1 for good.
 */
import http2 from 'node:http2'
import net from 'node:net'
import {NetworkError} from '../errors/index.js'
import {readLimited} from '../util/read-limited.js'
import {SocketTraffic} from './socket-traffic.js'
import {HttpTransport, serverUrl, type Transport, type TransportRequest, type TransportResponse} from './http-transport.js'

/** Flow-control window per stream and per connection: the default 64 KiB stalls large answers (packs) every 64 KiB. */
const WINDOW_BYTES = 16 * 1024 * 1024

const {HTTP2_HEADER_METHOD, HTTP2_HEADER_PATH, HTTP2_HEADER_STATUS, NGHTTP2_CANCEL} = http2.constants

interface Session {
  session: http2.ClientHttp2Session
  /** Requests in flight: while any is, the session keeps the process alive. */
  inFlight: number
  /** Whether the server ever answered on it (then it speaks HTTP/2). */
  answered: boolean
  /** The socket reached the server (a failure to connect is a network error, not a protocol one). */
  connected: boolean
  /** What broke the session (ECONNREFUSED...): a stream that dies with it reports this, not its own cancel. */
  error?: Error
}

export class Http2Transport implements Transport {
  private current?: Session
  private readonly sockets = new SocketTraffic()
  /** Set once the server showed it does not speak HTTP/2: every request then goes over HTTP/1.1. */
  private fallback?: HttpTransport

  constructor(
    private readonly base: URL,
    private readonly token: string,
  ) {}

  get origin(): string {
    return this.base.origin
  }

  async request(method: string, path: string, options: TransportRequest): Promise<TransportResponse> {
    if (this.fallback) return this.fallback.request(method, path, options)
    try {
      return await this.once(method, path, options)
    } catch (error) {
      if (error instanceof NotHttp2Error) {
        this.fallback = new HttpTransport(this.base.href, this.token)
        return this.fallback.request(method, path, options)
      }
      if (!(error instanceof ClosedSessionError)) throw error
      return this.once(method, path, options).catch((again) => {
        throw again instanceof ClosedSessionError ? again.network : again
      })
    }
  }

  traffic(): {sent: number; received: number} {
    const {sent, received} = this.sockets.total()
    const other = this.fallback?.traffic() ?? {sent: 0, received: 0}
    return {sent: sent + other.sent, received: received + other.received}
  }

  close(): void {
    this.current?.session.destroy()
    this.current = undefined
    this.fallback?.close()
  }

  private connect(): Session {
    const live = this.current
    if (live && !live.session.closed && !live.session.destroyed) return live
    const state = {inFlight: 0, answered: false, connected: false} as Session
    const session = http2.connect(this.base.origin, {
      settings: {initialWindowSize: WINDOW_BYTES},
      createConnection: () => {
        const socket = net.connect({host: this.base.hostname, port: Number(this.base.port) || 80, noDelay: true})
        socket.once('connect', () => (state.connected = true))
        this.sockets.track(socket)
        return socket
      },
    })
    session.on('error', (error) => (state.error = error))
    session.once('connect', () => session.setLocalWindowSize(WINDOW_BYTES))
    session.once('close', () => {
      if (this.current === state) this.current = undefined
    })
    // An idle session must not keep the process alive (a CLI exits when its work is done).
    session.unref()
    state.session = session
    this.current = state
    return state
  }

  private once(method: string, path: string, options: TransportRequest): Promise<TransportResponse> {
    const state = this.connect()
    const {session} = state
    const headers: http2.OutgoingHttpHeaders = {[HTTP2_HEADER_METHOD]: method, [HTTP2_HEADER_PATH]: `${this.base.pathname.replace(/\/$/, '')}${path}`}
    if (options.auth !== false) headers.authorization = `Bearer ${this.token}`
    if (options.body) {
      headers['content-length'] = options.body.length
      if (options.contentType) headers['content-type'] = options.contentType
    }
    return new Promise((resolveOnce, rejectOnce) => {
      // Errors can arrive more than once (the stream's, then its session's): the first outcome counts.
      let settled = false
      const resolve = (value: TransportResponse) => {
        if (settled) return
        settled = true
        resolveOnce(value)
      }
      const reject = (error: unknown) => {
        if (settled) return
        settled = true
        rejectOnce(error)
      }
      let answered = false
      let stream: http2.ClientHttp2Stream
      try {
        stream = session.request(headers, {signal: options.signal, endStream: !options.body})
      } catch (error) {
        reject(new ClosedSessionError(this.networkError(error)))
        return
      }
      if (state.inFlight++ === 0) session.ref()
      let released = false
      const release = () => {
        if (released) return
        released = true
        if (--state.inFlight === 0 && !session.destroyed) session.unref()
      }
      stream.setTimeout(options.idleMs, () => {
        stream.close(NGHTTP2_CANCEL)
        reject(new NetworkError(`no answer from ${this.origin} within ${options.idleMs} ms`))
      })
      stream.on('error', (error: NodeJS.ErrnoException) => {
        release()
        if (error.name === 'AbortError') return reject(error)
        // The session's own error (ECONNREFUSED...) is emitted just after its streams are cancelled: wait for it.
        setImmediate(() => settleError(error))
      })
      const settleError = (error: NodeJS.ErrnoException) => {
        // Reached the server, which never answered in HTTP/2: it speaks something else.
        if (!answered && state.connected && !state.answered && /ERR_HTTP2_(ERROR|SESSION_ERROR|STREAM_ERROR)/.test(error.code ?? ''))
          return reject(new NotHttp2Error())
        const cause = state.error ?? error
        // A session that worked before and failed before answering this: the server closed it meanwhile.
        if (!answered && state.answered) return reject(new ClosedSessionError(this.networkError(cause)))
        reject(this.networkError(cause))
      }
      // A stream can also just close, unanswered, when its connection goes (the server was killed).
      stream.once('close', () => {
        if (answered) return
        release()
        setImmediate(() => settleError(Object.assign(new Error('the connection closed before an answer'), {code: 'ECONNRESET'})))
      })
      stream.once('response', (response) => {
        answered = true
        state.answered = true
        readLimited(stream, options.maxBytes, 'the server answer').then(
          (body) => {
            release()
            resolve({status: Number(response[HTTP2_HEADER_STATUS]), body})
          },
          (error) => {
            release()
            reject(this.networkError(error))
          },
        )
      })
      if (options.body) stream.end(options.body)
    })
  }

  private networkError(error: unknown): Error {
    if ((error as Error).name === 'AbortError' || error instanceof NetworkError) return error as Error
    const {code, message} = error as NodeJS.ErrnoException
    return new NetworkError(`cannot talk to ${this.origin}: ${code ?? message}`, {cause: error})
  }
}

/** The session was closed by the server (idle, restarted) before this request was answered: worth one more try. */
class ClosedSessionError extends Error {
  constructor(readonly network: Error) {
    super(network.message)
  }
}

/** The first exchange on a new session failed at the HTTP/2 level: the server does not speak it. */
class NotHttp2Error extends Error {}

/** HTTP/2 for plain `http:` servers (ours speak both on one port), HTTP/1.1 over TLS for `https:`. */
export function transportFor(url: string, token: string): Transport {
  const base = serverUrl(url)
  return base.protocol === 'http:' ? new Http2Transport(base, token) : new HttpTransport(url, token)
}
