/**
 * The server's Koa app, made by a factory that does not listen (server/main.ts does; tests call
 * `app.callback()`). Middleware, outermost first: requests in flight (for shutting down), metrics, drain (answers `Connection: close` while shutting
 * down), errors, the client's protocol (http/client-protocol.ts), then the routes of docs/protocol.md and the status page. It keeps when tokens were last used and
 * what it saw of each device in memory and writes them once a minute (http/last-used.ts, http/devices.ts); `flush`
 * writes the rest before storage closes.
 */
import Router from '@koa/router'
import Koa from 'koa'
import semver from 'semver'
import {logger} from '#src/util/logger.js'
import {clientProtocol} from './http/client-protocol.js'
import {errorMiddleware} from './http/errors.js'
import {Devices} from './http/devices.js'
import {LastUsed} from './http/last-used.js'
import {h2Answer} from './http/h2-answer.js'
import {InFlight} from './http/in-flight.js'
import {compressAnswers} from './http/compress-answers.js'
import {observe} from './http/observe.js'
import {Revocations} from './http/revocations.js'
import {SealedNamespaces} from './http/sealed-namespaces.js'
import {Quotas} from './http/quotas.js'
import {belowMinimums, DEFAULT_LIMITS, type ProtocolLimits} from '#src/protocol/limits.js'
import {InvalidInputError} from '#src/errors/index.js'
import {ServerMetrics} from './metrics.js'
import {chunkRoutes} from './routes/chunks.js'
import {commitRoutes} from './routes/commit.js'
import {healthRoutes} from './routes/health.js'
import {journalReadRoutes} from './routes/journal-reads.js'
import {deviceRoutes} from './routes/devices.js'
import {encryptionRoutes} from './routes/encryption.js'
import {statusRoutes} from './routes/status.js'
import type {RouteDeps} from './routes/route-deps.js'
import type {ServerStorage} from './storage/types.js'
import {SERVER_VERSION} from './version.js'
import {type SetTimer, Waiters} from './waiters.js'

const debug = logger('server')

export interface AppOptions {
  limits?: Partial<ProtocolLimits>
  version?: string
  /** How long-polls time out and when last uses of tokens are written (tests move a clock by hand instead of waiting). */
  setTimer?: SetTimer
  /** The clock of tokens' last uses (milliseconds since the epoch). */
  now?: () => number
  /**
   * The newest client version the server tells clients of (health's `latestClient`, and a header to older clients):
   * by default its own, or a newer one an operator announces (`sync-server --latest-client`).
   */
  latestClient?: string
  /** Where what an operator should see goes (refused tokens, errors); the app itself never prints. */
  onNotice?: (message: string) => void
}

export interface SyncServerApp {
  app: Koa
  metrics: ServerMetrics
  waiters: Waiters
  /** Starts shutting down: long-polls are answered now, and every later answer closes its connection. */
  drain(): void
  /** Resolves once no request is being answered (in-flight.ts): storage may close then, not before. */
  settled(): Promise<void>
  /** Writes what the app keeps in memory (when tokens were last used, devices): once requests are done, before storage closes. */
  flush(): Promise<void>
}

export function createApp(storage: ServerStorage, options: AppOptions = {}): SyncServerApp {
  const app = new Koa()
  app.silent = true
  app.on('error', (error: Error) => debug('unexpected error: %O', error))
  const waiters = new Waiters(options.setTimer)
  const metrics = new ServerMetrics(waiters)
  const limits = {...DEFAULT_LIMITS, ...options.limits}
  const tooLow = belowMinimums(limits)
  if (tooLow.length > 0) throw new InvalidInputError(`limits below the protocol's minimums: ${tooLow.join(', ')}`)
  const latestClient = options.latestClient ?? SERVER_VERSION
  if (!semver.valid(latestClient)) throw new InvalidInputError(`latest client ${JSON.stringify(latestClient)}: a version such as 1.2.3`)
  const notice = options.onNotice ?? ((message: string) => debug(message))
  const lastUsed = new LastUsed(storage.tokens, {
    now: options.now,
    setTimer: options.setTimer,
    onError: (error) => notice(`cannot record when tokens were last used: ${(error as Error).message}`),
  })
  const devices = new Devices(storage.devices, {
    now: options.now,
    setTimer: options.setTimer,
    onError: (error) => notice(`cannot record what devices did: ${(error as Error).message}`),
  })
  const deps: RouteDeps = {
    storage,
    revocations: new Revocations(storage.tokens),
    lastUsed,
    devices,
    sealed: new SealedNamespaces(storage.settings),
    quotas: new Quotas(storage, options.now),
    waiters,
    metrics,
    limits,
    version: options.version ?? SERVER_VERSION,
    latestClient,
  }
  let draining = false
  // Commits through other instances wake this one's long-polls as its own commits do (routes/commit.ts).
  // A gap in the feed (its connection was cut) may have lost notices: every waiter here looks at the journal again.
  const unsubscribe = storage.feed?.subscribe(
    ({namespace, client}) => waiters.wake(namespace, client),
    () => waiters.wakeAll(),
  )

  const inFlight = new InFlight()
  app.use(inFlight.middleware())
  app.use(h2Answer())
  app.use(observe(metrics))
  app.use(async (ctx, next) => {
    // Bytes on the wire matter (a one-line edit should cost well under 2 KB): no Date header.
    ctx.res.sendDate = false
    await next()
    // Set once the answer is ready, so that requests begun before draining close their connections too.
    // (HTTP/2 has no Connection header: its sessions are closed with a GOAWAY by the listener.)
    if (draining && ctx.req.httpVersionMajor < 2) ctx.set('Connection', 'close')
  })
  app.use(errorMiddleware(metrics, options.onNotice))
  app.use(compressAnswers())
  app.use(clientProtocol(latestClient))
  const router = new Router()
  for (const routes of [healthRoutes, commitRoutes, journalReadRoutes, chunkRoutes, deviceRoutes, encryptionRoutes, statusRoutes]) routes(router, deps)
  app.use(router.routes())

  return {
    app,
    metrics,
    waiters,
    drain() {
      draining = true
      unsubscribe?.()
      waiters.close()
    },
    settled: () => inFlight.settled(),
    flush: async () => {
      await lastUsed.flush()
      await devices.flush()
    },
  }
}
