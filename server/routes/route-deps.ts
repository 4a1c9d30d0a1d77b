/** What every route is given: storage, the tokens watched for revocation, the long-poll waiters, the metrics and the limits. */
import type Router from '@koa/router'
import type {Revocations} from '../http/revocations.js'
import type {ProtocolLimits} from '../../src/protocol/limits.js'
import type {ServerMetrics} from '../metrics.js'
import type {ServerStorage} from '../storage/types.js'
import type {Waiters} from '../waiters.js'

export interface RouteDeps {
  storage: ServerStorage
  revocations: Revocations
  waiters: Waiters
  metrics: ServerMetrics
  limits: ProtocolLimits
  version: string
}

export type Routes = (router: Router, deps: RouteDeps) => void
