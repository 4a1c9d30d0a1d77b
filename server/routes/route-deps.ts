/**
 * What every route is given: storage, the tokens watched for revocation and their last uses, the devices seen, the quotas, the long-poll waiters,
 * the metrics, the limits and the versions.
 */
import type Router from '@koa/router'
import type {Devices} from '../http/devices.js'
import type {LastUsed} from '../http/last-used.js'
import type {Quotas} from '../http/quotas.js'
import type {Revocations} from '../http/revocations.js'
import type {SealedNamespaces} from '../http/sealed-namespaces.js'
import type {ProtocolLimits} from '#src/protocol/limits.js'
import type {ServerMetrics} from '../metrics.js'
import type {ServerStorage} from '../storage/types.js'
import type {Waiters} from '../waiters.js'

export interface RouteDeps {
  storage: ServerStorage
  revocations: Revocations
  lastUsed: LastUsed
  devices: Devices
  /** Which namespaces are encrypted (the routes of a namespace's data refuse a client that disagrees). */
  sealed: SealedNamespaces
  /** Each namespace's quota, kept on the routes that store chunks. */
  quotas: Quotas
  waiters: Waiters
  metrics: ServerMetrics
  limits: ProtocolLimits
  version: string
  /** The newest client version the server knows (AppOptions.latestClient). */
  latestClient: string
}

export type Routes = (router: Router, deps: RouteDeps) => void
