/**
 * The server's health answer, `GET /v1/health`: that it is up, its version, the protocol version it speaks and
 * its limits. Read by the client with a schema: a server is outside this program, and a wrong answer is a typed
 * error, never a wrong request size. A server from before protocol versions answers without them: protocol 1,
 * the default limits; one from before update notices without `protocols`, `readOnlyProtocols` and `latestClient`.
 */
import {z} from 'zod'
import {DEFAULT_LIMITS, type ProtocolLimits} from './limits.js'

export interface ServerInfo {
  ok: boolean
  version: string
  /** The newest protocol it speaks. */
  protocol: number
  /** The protocols it serves in full, and those it serves read-only (docs/protocol.md, Versions). */
  protocols: number[]
  readOnlyProtocols: number[]
  /** The newest client version it knows of (absent from servers before update notices). */
  latestClient?: string
  /** The Content-Encodings it reads in request bodies (`br`; none before compressed JSON). */
  encodings: string[]
  /** Whether it reads wire packs whose blocks carry no ids (none did before them). */
  packsWithoutIds: boolean
  limits: ProtocolLimits
}

const count = z.number().int().positive()

const limitsSchema = z.object({
  jsonBody: count,
  commitItems: count,
  commitInline: count,
  pack: z.object({maxCompressed: count, maxInflated: count}),
  fetchPack: count,
  idsPerRequest: count,
  pageEntries: count,
  waitSeconds: count,
  changesInline: z.number().int().nonnegative(),
})

const serverInfoSchema = z
  .object({
    ok: z.boolean(),
    version: z.string(),
    protocol: count.default(1),
    protocols: z.array(count).optional(),
    readOnlyProtocols: z.array(count).default([]),
    latestClient: z.string().max(64).optional(),
    encodings: z.array(z.string().max(32)).max(16).default([]),
    packsWithoutIds: z.boolean().default(false),
    limits: limitsSchema.default(DEFAULT_LIMITS),
  })
  // A server from before `protocols` serves its one protocol in full.
  .transform((info) => ({...info, protocols: info.protocols ?? [info.protocol]}))

/** The answer as ServerInfo, or a description of what is wrong with it. */
export function parseServerInfo(body: unknown): ServerInfo | {error: string} {
  const parsed = serverInfoSchema.safeParse(body)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  return {error: `${issue.path.join('.') || 'the answer'}: ${issue.message}`}
}
