/**
 * HTTP/2 without TLS (h2c, prior knowledge) for the journal client on `http:` URLs: one session per server,
 * every request a stream on it. HPACK sends a repeated header (the User-Agent, the token once the server's
 * SETTINGS let it go as `sync-token`) as a one-byte reference: a repeated request costs about 40 bytes of framing
 * and headers (its path, never indexed, is most of it) instead of ~150. The same contract as HttpTransport: idle timeout and deadline
 * per request, an early answer (413) returned, bytes counted on the socket, NetworkError when the server cannot be
 * reached or resets the stream, the signal's AbortError when aborted, and one more try on a fresh session when
 * the server had closed the old one before answering.
 * A server (or proxy) that does not speak HTTP/2 makes it fall back to HTTP/1.1 for good.
 */
import http2 from 'node:http2'
import net from 'node:net'
import {NetworkError} from '../errors/index.js'
import {announcesTokenHeader, TOKEN_HEADER, TOKEN_HEADER_SETTING} from '../protocol/token-header.js'
import {SESSION_MEMORY_MB, widenForBody} from '../util/http2-window.js'
import {readLimited} from '../util/read-limited.js'
import {defaultDeadlineMs, pastDeadline} from './deadline.js'
import {h2ErrorName} from './h2-error-name.js'
import {SocketTraffic} from './socket-traffic.js'
import {USER_AGENT} from './user-agent.js'
import {answerHeaders, HttpTransport, serverUrl, type Transport, type TransportRequest, type TransportResponse} from './http-transport.js'

const {HTTP2_HEADER_METHOD, HTTP2_HEADER_PATH, HTTP2_HEADER_STATUS, NGHTTP2_CANCEL, NGHTTP2_NO_ERROR} = http2.constants

interface Session {
  session: http2.ClientHttp2Session
  /** Requests in flight: while any is, the session keeps the process alive. */
  inFlight: number
  /** Whether the server ever answered on it. */
  answered: boolean
  /** Whether the server sent its SETTINGS (then it speaks HTTP/2, whatever else goes wrong). */
  spoke: boolean
  /** Its SETTINGS said it reads the token as `sync-token`, a header HPACK indexes (src/protocol/token-header.ts). */
  namedToken: boolean
  /** The socket reached the server (a failure to connect is a network error, not a protocol one). */
  connected: boolean
  /** What broke the session (ECONNREFUSED...): a stream that dies with it reports this, not its own cancel. */
  error?: Error
  /** The error code of the server's GOAWAY, once it sent one. */
  goaway?: number
  /** The connection itself: closed directly when done (see close). */
  socket?: net.Socket
}

export class Http2Transport implements Transport {
  private current?: Session
  private readonly sockets = new SocketTraffic()
  /** Set once the server showed it does not speak HTTP/2: every request then goes over HTTP/1.1. */
  private fallback?: HttpTransport

  constructor(
    private readonly base: URL,
    private readonly token: string,
    /** The User-Agent of every request (user-agent.ts). */
    private readonly userAgent = USER_AGENT,
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
        this.fallback = new HttpTransport(this.base.href, this.token, this.userAgent)
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
    // The socket goes first: closing the session would send a GOAWAY, and the server answer with its own (34 bytes
    // per process for nothing: no stream is open, and a closed connection tells the server all it needs).
    this.current?.socket?.destroy()
    this.current?.session.destroy()
    this.current = undefined
    this.fallback?.close()
  }

  private connect(): Session {
    const live = this.current
    if (live && !live.session.closed && !live.session.destroyed) return live
    const state = {inFlight: 0, answered: false, spoke: false, namedToken: false, connected: false} as Session
    const session = http2.connect(this.base.origin, {
      maxSessionMemory: SESSION_MEMORY_MB,
      remoteCustomSettings: [TOKEN_HEADER_SETTING],
      createConnection: () => {
        const socket = net.connect({host: this.base.hostname, port: Number(this.base.port) || 80, noDelay: true})
        socket.once('connect', () => (state.connected = true))
        this.sockets.track(socket)
        state.socket = socket
        return socket
      },
    })
    session.on('error', (error) => (state.error = error))
    session.on('goaway', (code) => (state.goaway = code))
    session.once('remoteSettings', (settings) => {
      state.spoke = true
      state.namedToken = announcesTokenHeader(settings)
    })
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
    const headers: http2.OutgoingHttpHeaders = {
      [HTTP2_HEADER_METHOD]: method,
      [HTTP2_HEADER_PATH]: `${this.base.pathname.replace(/\/$/, '')}${path}`,
      'user-agent': this.userAgent,
    }
    // Before the server's SETTINGS (a connection's first request) and to any other server: `Authorization`.
    if (options.auth !== false) {
      if (state.namedToken) headers[TOKEN_HEADER] = this.token
      else headers.authorization = `Bearer ${this.token}`
    }
    if (options.accept) headers.accept = options.accept
    if (options.acceptEncoding) headers['accept-encoding'] = options.acceptEncoding
    if (options.body) {
      headers['content-length'] = options.body.length
      if (options.contentType) headers['content-type'] = options.contentType
      if (options.contentEncoding) headers['content-encoding'] = options.contentEncoding
    }
    const deadlineMs = options.deadlineMs ?? defaultDeadlineMs(options.idleMs, options.body?.length ?? 0)
    let deadline: NodeJS.Timeout | undefined
    return new Promise<TransportResponse>((resolve, reject) => {
      let answered = false
      let stream: http2.ClientHttp2Stream
      try {
        stream = session.request(headers, {signal: options.signal, endStream: !options.body})
      } catch (error) {
        reject(new ClosedSessionError(this.networkError(error)))
        return
      }
      if (state.inFlight++ === 0) session.ref()
      // The first outcome counts (errors can come twice: the stream's, then its session's); the stream then goes.
      const fail = (error: Error) => {
        reject(error)
        if (!stream.closed) stream.close(NGHTTP2_CANCEL)
      }
      deadline = setTimeout(() => fail(pastDeadline(this.origin, deadlineMs)), deadlineMs)
      stream.setTimeout(options.idleMs, () => fail(new NetworkError(`no answer from ${this.origin} within ${options.idleMs} ms`)))
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.name === 'AbortError') return reject(error)
        // Once answered, reading the answer decides.
        if (answered) return
        // The session's own error (ECONNREFUSED...) is emitted just after its streams are cancelled: wait for it.
        setImmediate(() => settleError(error))
      })
      const settleError = (error: NodeJS.ErrnoException) => {
        // Reached a server that never spoke HTTP/2 (no SETTINGS): it speaks something else.
        if (!answered && state.connected && !state.spoke && /ERR_HTTP2_(ERROR|SESSION_ERROR|STREAM_ERROR)/.test(error.code ?? ''))
          return reject(new NotHttp2Error())
        const network = this.networkError(state.error ?? error, stream.rstCode, state.goaway)
        // A session that worked before and failed before answering this: the server closed it meanwhile.
        if (!answered && state.answered) return reject(new ClosedSessionError(network))
        reject(network)
      }
      // Every stream closes, however it ends (reset, GOAWAY, the connection cut): then it is no longer in flight.
      stream.once('close', () => {
        if (--state.inFlight === 0 && !session.destroyed) session.unref()
        if (answered) return
        setImmediate(() => settleError(Object.assign(new Error('the connection closed before an answer'), {code: 'ECONNRESET'})))
      })
      stream.once('response', (response, flags) => {
        widenForBody(session, response, flags)
        answered = true
        state.answered = true
        // node ends the body of a stream it destroys (the connection cut mid-answer) as if it were complete: only
        // an end that comes while the stream lives is the server's.
        let complete = false
        stream.once('end', () => (complete = !stream.destroyed))
        readLimited(stream, options.maxBytes, 'the server answer').then(
          (body) => {
            if (!complete) return fail(new NetworkError(`cannot talk to ${this.origin}: the answer was cut short`))
            resolve({status: Number(response[HTTP2_HEADER_STATUS]), body, ...answerHeaders(response)})
            // Answered before all was sent (a 413 from a server that keeps the stream open): the rest is not wanted.
            if (!stream.writableFinished) stream.close(NGHTTP2_CANCEL)
          },
          (error) => fail(this.networkError(error)),
        )
      })
      if (options.body) stream.end(options.body)
    }).finally(() => clearTimeout(deadline))
  }

  /** The error to report, naming the server's GOAWAY or reset when one ended the stream. */
  private networkError(error: unknown, rstCode = NGHTTP2_NO_ERROR, goaway = NGHTTP2_NO_ERROR): Error {
    if ((error as Error).name === 'AbortError' || error instanceof NetworkError) return error as Error
    const {code, message} = error as NodeJS.ErrnoException
    let reason = code ?? message
    if (goaway !== NGHTTP2_NO_ERROR) reason = `the server went away (GOAWAY ${h2ErrorName(goaway)})`
    else if (code === 'ERR_HTTP2_STREAM_ERROR') reason = `the server reset the stream (${h2ErrorName(rstCode)})`
    return new NetworkError(`cannot talk to ${this.origin}: ${reason}`, {cause: error})
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
export function transportFor(url: string, token: string, userAgent = USER_AGENT): Transport {
  const base = serverUrl(url)
  return base.protocol === 'http:' ? new Http2Transport(base, token, userAgent) : new HttpTransport(url, token, userAgent)
}
