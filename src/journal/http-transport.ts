/**
 * HTTP for the journal client: node:http(s) with one keep-alive agent, only the headers that are needed (bytes on
 * the wire matter: a one-line edit should cost well under 2 KB), an idle timeout per request, and the bytes
 * every socket carried, headers included. Failures to talk at all are NetworkError; an aborted request rejects
 * with the AbortError of its signal. A request that fails on a reused keep-alive socket before any answer (the
 * server closed it meanwhile) is sent once more: every route is safe to repeat (a repeated commit is `unchanged`).
 */
import http from 'node:http'
import https from 'node:https'
import {InvalidInputError, isSyncError, NetworkError} from '../errors/index.js'
import {readLimited} from '../util/read-limited.js'
import {SocketTraffic} from './socket-traffic.js'

export interface TransportRequest {
  body?: Buffer
  contentType?: string
  /** Longest silence on the socket before giving up. */
  idleMs: number
  maxBytes: number
  signal?: AbortSignal
  auth?: boolean
}

export interface TransportResponse {
  status: number
  body: Buffer
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
    const headers: Record<string, string | number> = {}
    if (options.auth !== false) headers.Authorization = `Bearer ${this.token}`
    if (options.body) {
      headers['Content-Length'] = options.body.length
      if (options.contentType) headers['Content-Type'] = options.contentType
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
    return new Promise((resolve, reject) => {
      let answered = false
      request.on('socket', (socket) => this.sockets.track(socket))
      request.setTimeout(options.idleMs, () => request.destroy(new NetworkError(`no answer from ${this.origin} within ${options.idleMs} ms`)))
      request.on('error', (error) => {
        const code = (error as NodeJS.ErrnoException).code ?? ''
        if (!answered && request.reusedSocket && STALE_SOCKET.has(code)) reject(new StaleSocketError(this.networkError(error)))
        else reject(this.networkError(error))
      })
      request.on('response', (response) => {
        answered = true
        readLimited(response, options.maxBytes, 'the server answer').then(
          (body) => resolve({status: response.statusCode ?? 0, body}),
          (error) => reject(this.networkError(error)),
        )
      })
      request.end(options.body)
    })
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
