/**
 * `sync-server` serving: opens the data folder, listens (plain: HTTP/1.1 and h2c on one port; with a certificate:
 * TLS, HTTP/2 or HTTP/1.1 by ALPN), prints `listening on http(s)://HOST:PORT`, and on SIGTERM
 * or SIGINT drains (requests in flight finish, long-polls are answered, idle connections close), writes when
 * tokens were last used, closes storage and resolves with exit code 0.
 */
import {mkdir, readFile} from 'node:fs/promises'
import http2 from 'node:http2'
import path from 'node:path'
import type {AddressInfo, Server, Socket} from 'node:net'
import type {TLSSocket} from 'node:tls'
import {createApp} from '../app.js'
import {clientGone} from '../http/client-gone.js'
import {dualProtocolServer} from '../http/dual-protocol.js'
import {widenForBody} from '#src/util/http2-window.js'
import {openLmdbStorage} from '../storage/lmdb/open-lmdb-storage.js'
import type {ServerStorage} from '../storage/types.js'
import {DataFolderBusyError, InvalidInputError} from '#src/errors/index.js'
import {takePidLock} from '#src/util/pid-lock.js'
import {releaseDeadBuffersOften} from '#src/util/release-buffers.js'
import {scheduleGc} from '../gc/gc-schedule.js'
import {openDatabaseStorage} from './open-database-storage.js'

export interface ServeOptions {
  data: string
  /** PostgreSQL (a postgres:// URL) instead of the data folder, and where chunk bytes go then (a blob store URL). */
  db?: string
  blobs?: string
  host: string
  port: number
  /** Garbage collection every this many ms (server/gc/gc-schedule.ts); none when undefined. */
  gcEveryMs?: number
  /** Those runs leave packs written this recently alone (default: GC_DEFAULTS.graceMs, an hour). */
  gcGraceMs?: number
  /** PEM files: serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) instead of plain HTTP. */
  tls?: {cert: string; key: string}
  /** The newest client version to tell clients of (AppOptions.latestClient); default this server's. */
  latestClient?: string
}

/** What serving needs of a listener: to listen, to stop taking connections, and to cut those left. */
interface Listener {
  server: Server
  scheme: 'http' | 'https'
  /** Stops accepting; idle HTTP/1 connections close, HTTP/2 sessions get a GOAWAY. */
  close(): Promise<void>
  /** Cuts every connection still open. */
  cut(): void
}

type Handler = Parameters<typeof dualProtocolServer>[0]

function plainListener(handler: Handler): Listener {
  const {listener, http1, http2: h2, sessions} = dualProtocolServer(handler)
  http1.keepAliveTimeout = KEEP_ALIVE_MS
  http1.headersTimeout = KEEP_ALIVE_MS + 1000
  h2.setTimeout(KEEP_ALIVE_MS)
  return {
    server: listener,
    scheme: 'http',
    close() {
      const closed = new Promise<void>((done) => listener.close(() => done()))
      // (Closing the HTTP/1 server, which never listened, closes its idle connections and stops its timer.)
      http1.close(() => {})
      for (const session of sessions) session.close()
      return closed
    },
    cut() {
      http1.closeAllConnections()
      for (const session of sessions) session.destroy()
    },
  }
}

async function pem(flag: string, file: string): Promise<Buffer> {
  return readFile(file).catch((error: Error) => {
    throw new InvalidInputError(`${flag}: cannot read ${file}: ${error.message}`)
  })
}

async function tlsListener(handler: Handler, tls: {cert: string; key: string}): Promise<Listener> {
  const [cert, key] = [await pem('--tls-cert', tls.cert), await pem('--tls-key', tls.key)]
  let server: http2.Http2SecureServer
  try {
    server = http2.createSecureServer({cert, key, allowHTTP1: true}, handler as never)
  } catch (error) {
    throw new InvalidInputError(`--tls-cert/--tls-key: not a usable certificate and key: ${(error as Error).message}`)
  }
  server.setTimeout(KEEP_ALIVE_MS)
  const sessions = new Set<http2.ServerHttp2Session>()
  const sockets = new Set<Socket>()
  server.on('stream', (stream, headers, flags) => widenForBody(stream.session!, headers, flags))
  server.on('session', (session) => {
    sessions.add(session)
    session.once('close', () => sessions.delete(session))
  })
  /** HTTP/1.1 requests in flight per connection: an idle one is closed at once when draining. */
  const busy = new Map<Socket, number>()
  server.on('secureConnection', (socket: TLSSocket) => {
    socket.setNoDelay(true)
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('request', (req: http2.Http2ServerRequest) => {
    if (req.httpVersionMajor >= 2) return
    const socket = req.socket as Socket
    busy.set(socket, (busy.get(socket) ?? 0) + 1)
    req.once('close', () => busy.set(socket, busy.get(socket)! - 1))
  })
  return {
    server,
    scheme: 'https',
    close() {
      const closed = new Promise<void>((done) => server.close(() => done()))
      for (const session of sessions) session.close()
      for (const socket of sockets) if ((socket as TLSSocket).alpnProtocol !== 'h2' && !busy.get(socket)) socket.destroy()
      return closed
    },
    cut() {
      for (const session of sessions) session.destroy()
      for (const socket of sockets) socket.destroy()
    },
  }
}

/** Longer than any client keeps an idle connection, so that the client closes first. */
const KEEP_ALIVE_MS = 65_000
/** Connections still open this long after draining began are cut. */
const DRAIN_MS = 30_000

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
}

export async function serve(options: ServeOptions): Promise<number> {
  // Instances on one database need no lock: PostgreSQL serialises their commits.
  if (options.db !== undefined) return serveStorage(await openDatabaseStorage(options.db, options.blobs), options)
  await mkdir(options.data, {recursive: true})
  // One server per data folder: a second would serve a journal it does not see the other's writes to the same way.
  const lock = await takePidLock(path.join(options.data, 'server.lock'), (pid) => new DataFolderBusyError(options.data, pid))
  let storage
  try {
    storage = await openLmdbStorage(options.data)
  } catch (error) {
    await lock.release()
    throw error
  }
  try {
    return await serveStorage(storage, options)
  } finally {
    await lock.release()
  }
}

/** A line on stderr for the operator, with its time. */
const info = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`)

async function serveStorage(storage: ServerStorage, options: ServeOptions): Promise<number> {
  const {app, drain, settled, flush, metrics} = createApp(storage, {onNotice: info, latestClient: options.latestClient})
  app.on('error', (error: Error) => {
    if (!clientGone(error)) process.stderr.write(`error: unexpected: ${error.stack ?? error.message}\n`)
  })
  let address: AddressInfo
  let listener: Listener
  try {
    listener = options.tls ? await tlsListener(app.callback(), options.tls) : plainListener(app.callback())
    address = await listen(listener.server, options.port, options.host)
  } catch (error) {
    await storage.close()
    throw error
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `${listener.scheme}://${host}:${address.port}`
  process.stdout.write(`listening on ${url}\n`)
  releaseDeadBuffersOften()
  info(`started: serving ${options.db === undefined ? path.resolve(options.data) : 'from PostgreSQL'} on ${url} (pid ${process.pid})`)
  const gc = options.gcEveryMs === undefined ? undefined : scheduleGc(storage, metrics, {everyMs: options.gcEveryMs, graceMs: options.gcGraceMs}, info)

  return new Promise((resolve, reject) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      info(`stopping (${signal}): answering what is in flight`)
      drain()
      // Stop accepting; HTTP/1 closes idle connections now and busy ones after their answer (Connection: close);
      // HTTP/2 sessions get a GOAWAY and close once their streams are done.
      const closed = listener.close()
      const cut = setTimeout(() => listener.cut(), DRAIN_MS)
      // Connections closed is not enough: a long-poll woken by the drain may still be reading for a client gone meanwhile.
      closed
        .then(() => settled())
        .then(() => gc?.stop())
        .then(() => flush())
        .then(() => storage.close())
        .then(() => {
          info('stopped')
          resolve(0)
        }, reject)
        .finally(() => clearTimeout(cut))
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
}
