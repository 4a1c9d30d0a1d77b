/**
 * HTTP for the journal client: node:http(s) with one keep-alive agent, only the headers that are needed (bytes on
 * the wire matter: a one-line edit should cost well under 2 KB), an idle timeout and a deadline per request, and
 * the bytes every socket carried, headers included. Failures to talk at all are NetworkError; an aborted request
 * rejects with the AbortError of its signal. An answer that comes before the whole body was sent (a 413) is
 * returned, and the connection it came on closed. A request that fails on a reused keep-alive socket before any answer (the
 * server closed it meanwhile) is sent once more: every route is safe to repeat (a repeated commit is `unchanged`).
 */
import http from 'node:http'
import https from 'node:https'
import {InvalidInputError, isSyncError, NetworkError} from '../errors/index.js'
import {readLimited} from '../util/read-limited.js'
import {defaultDeadlineMs, pastDeadline} from './deadline.js'
import {SocketTraffic} from './socket-traffic.js'
import {USER_AGENT} from './user-agent.js'

export interface TransportRequest {
  body?: Buffer
  contentType?: string
  /** How `body` is compressed (`br`), when it is. */
  contentEncoding?: string
  /** The media types the answer may be (`Accept`). */
  accept?: string
  /** The encodings the answer may come in (`Accept-Encoding`). */
  acceptEncoding?: string
  /** Longest silence on the socket before giving up. */
  idleMs: number
  /** When the whole exchange must be over; by default deadline.ts's, from `idleMs` and the body's size. */
  deadlineMs?: number
  maxBytes: number
  signal?: AbortSignal
  auth?: boolean
}

export interface TransportResponse {
  status: number
  body: Buffer
  /** The server's `Sync-Latest-Client` header: a newer client exists (docs/protocol.md, Versions). */
  latestClient?: string
  /** The answer's `Content-Encoding`, when it has one. */
  contentEncoding?: string
}

/** What the answer's headers tell the journal client: `Sync-Latest-Client` and `Content-Encoding`, when present. */
export function answerHeaders(headers: Record<string, string | string[] | number | undefined>): {latestClient?: string; contentEncoding?: string} {
  const latest = headers['sync-latest-client']
  const encoding = headers['content-encoding']
  return {...(typeof latest === 'string' ? {latestClient: latest} : {}), ...(typeof encoding === 'string' ? {contentEncoding: encoding} : {})}
}

const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])

/** The server's URL, checked: http or https. */
export function serverUrl(url: string): URL {
  let base: URL
  try {
    base = new URL(url)
  } catch {
    throw new InvalidInputError(`server URL ${JSON.stringify(url)} is not a URL`)
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new InvalidInputError(`server URL ${url}: use http:// or https://`)
  return base
}

/** What the journal client needs of HTTP (this HTTP/1.1 transport, or http2-transport.ts). */
export interface Transport {
  readonly origin: string
  request(method: string, path: string, options: TransportRequest): Promise<TransportResponse>
  traffic(): {sent: number; received: number}
  close(): void
}

export class HttpTransport implements Transport {
  private readonly base: URL
  private readonly agent: http.Agent
  private readonly sockets = new SocketTraffic()

  constructor(
    url: string,
    private readonly token: string,
    /** The User-Agent of every request (user-agent.ts). */
    private readonly userAgent = USER_AGENT,
  ) {
    const base = serverUrl(url)
    this.base = base
    this.agent = base.protocol === 'https:' ? new https.Agent({keepAlive: true}) : new http.Agent({keepAlive: true})
  }

  get origin(): string {
    return this.base.origin
  }

  async request(method: string, path: string, options: TransportRequest): Promise<TransportResponse> {
    try {
      return await this.once(method, path, options)
    } catch (error) {
      if (!(error instanceof StaleSocketError)) throw error
      return this.once(method, path, options).catch((again) => {
        throw again instanceof StaleSocketError ? again.network : again
      })
    }
  }

  traffic(): {sent: number; received: number} {
    return this.sockets.total()
  }

  close(): void {
    this.agent.destroy()
  }

  private once(method: string, path: string, options: TransportRequest): Promise<TransportResponse> {
    const headers: Record<string, string | number> = {'User-Agent': this.userAgent}
    if (options.auth !== false) headers.Authorization = `Bearer ${this.token}`
    if (options.accept) headers.Accept = options.accept
    if (options.acceptEncoding) headers['Accept-Encoding'] = options.acceptEncoding
    if (options.body) {
      headers['Content-Length'] = options.body.length
      if (options.contentType) headers['Content-Type'] = options.contentType
      if (options.contentEncoding) headers['Content-Encoding'] = options.contentEncoding
    }
    const request = (this.base.protocol === 'https:' ? https : http).request({
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      port: this.base.port,
      path: `${this.base.pathname.replace(/\/$/, '')}${path}`,
      method,
      headers,
      agent: this.agent,
      signal: options.signal,
    })
    const deadlineMs = options.deadlineMs ?? defaultDeadlineMs(options.idleMs, options.body?.length ?? 0)
    let deadline: NodeJS.Timeout | undefined
    return new Promise<TransportResponse>((resolve, reject) => {
      let answered = false
      // The first outcome counts; what is left of the exchange then goes.
      const fail = (error: Error) => {
        reject(error)
        request.destroy()
      }
      deadline = setTimeout(() => fail(pastDeadline(this.origin, deadlineMs)), deadlineMs)
      request.on('socket', (socket) => this.sockets.track(socket))
      request.setTimeout(options.idleMs, () => fail(new NetworkError(`no answer from ${this.origin} within ${options.idleMs} ms`)))
      request.on('error', (error) => {
        // Once answered, reading the answer decides: a server may answer (413) and close before reading what was sent.
        if (answered && error.name !== 'AbortError') return
        const code = (error as NodeJS.ErrnoException).code ?? ''
        if (!answered && request.reusedSocket && STALE_SOCKET.has(code)) reject(new StaleSocketError(this.networkError(error)))
        else reject(this.networkError(error))
      })
      request.on('response', (response) => {
        answered = true
        readLimited(response, options.maxBytes, 'the server answer').then(
          (body) => {
            resolve({status: response.statusCode ?? 0, body, ...answerHeaders(response.headers)})
            // Answered before all was sent: the rest is not wanted, and the connection cannot carry another request.
            if (!request.writableFinished) request.destroy()
          },
          (error) => fail(this.networkError(error)),
        )
      })
      request.end(options.body)
    }).finally(() => clearTimeout(deadline))
  }

  private networkError(error: unknown): Error {
    if (isSyncError(error) || (error as Error).name === 'AbortError') return error as Error
    const {code, message} = error as NodeJS.ErrnoException
    return new NetworkError(`cannot talk to ${this.origin}: ${code ?? message}`, {cause: error})
  }
}

/** A failure on a reused keep-alive socket before any answer: worth one more try on a fresh one. */
class StaleSocketError extends Error {
  constructor(readonly network: Error) {
    super(network.message)
  }
}
