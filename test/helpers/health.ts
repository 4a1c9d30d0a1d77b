/** What `GET /v1/health` answers from a server started with its defaults, as this build writes it. */
import {DEFAULT_LIMITS} from '#src/protocol/limits.js'
import {PROTOCOL_VERSION} from '#src/protocol/version.js'

export const DEFAULT_HEALTH = {
  ok: true,
  version: '0.1.0',
  protocol: PROTOCOL_VERSION,
  protocols: [PROTOCOL_VERSION],
  readOnlyProtocols: [1],
  latestClient: '0.1.0',
  encodings: ['br'],
  packsWithoutIds: true,
  limits: DEFAULT_LIMITS,
}
