/**
 * `sync-server` serving: opens the data folder, listens, prints `listening on http://HOST:PORT`, and on SIGTERM
 * or SIGINT drains (requests in flight finish, long-polls are answered, idle connections close), writes when
 * tokens were last used, closes storage and resolves with exit code 0.
 */
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import type {AddressInfo, Server} from 'node:net'
import {createApp} from '../app.js'
import {dualProtocolServer} from '../http/dual-protocol.js'
import {openLmdbStorage} from '../storage/lmdb/open-lmdb-storage.js'
import type {ServerStorage} from '../storage/types.js'
import {DataFolderBusyError} from '#src/errors/index.js'
import {takePidLock} from '#src/util/pid-lock.js'
import {scheduleGc} from '../gc/gc-schedule.js'

export interface ServeOptions {
  data: string
  host: string
  port: number
  /** Garbage collection every this many ms (server/gc/gc-schedule.ts); none when undefined. */
  gcEveryMs?: number
  /** Those runs leave packs written this recently alone (default: GC_DEFAULTS.graceMs, an hour). */
  gcGraceMs?: number
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
  const {app, drain, flush, metrics} = createApp(storage, {onNotice: info})
  app.on('error', (error: Error) => process.stderr.write(`error: unexpected: ${error.stack ?? error.message}\n`))
  const {listener, http1, http2, sessions} = dualProtocolServer(app.callback())
  http1.keepAliveTimeout = KEEP_ALIVE_MS
  http1.headersTimeout = KEEP_ALIVE_MS + 1000
  http2.setTimeout(KEEP_ALIVE_MS)
  let address: AddressInfo
  try {
    address = await listen(listener, options.port, options.host)
  } catch (error) {
    await storage.close()
    throw error
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  process.stdout.write(`listening on http://${host}:${address.port}\n`)
  info(`started: serving ${path.resolve(options.data)} on http://${host}:${address.port} (pid ${process.pid})`)
  const gc = options.gcEveryMs === undefined ? undefined : scheduleGc(storage, metrics, {everyMs: options.gcEveryMs, graceMs: options.gcGraceMs}, info)

  return new Promise((resolve, reject) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      info(`stopping (${signal}): answering what is in flight`)
      drain()
      // Stop accepting; HTTP/1 closes idle connections now and busy ones after their answer (Connection: close);
      // HTTP/2 sessions get a GOAWAY and close once their streams are done.
      const closed = new Promise((done) => listener.close(done))
      // (Closing the HTTP/1 server, which never listened, closes its idle connections and stops its timer.)
      http1.close(() => {})
      for (const session of sessions) session.close()
      const cut = setTimeout(() => {
        http1.closeAllConnections()
        for (const session of sessions) session.destroy()
      }, DRAIN_MS)
      closed
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
