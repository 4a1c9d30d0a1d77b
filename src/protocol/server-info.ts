/**
 * The server's health answer, `GET /v1/health`: that it is up, its version, the protocol version it speaks and
 * its limits. Read by the client with a schema: a server is outside this program, and a wrong answer is a typed
 * error, never a wrong request size. A server from before protocol versions answers without them: protocol 1,
 * the default limits.
 */
import {z} from 'zod'
import {DEFAULT_LIMITS, type ProtocolLimits} from './limits.js'

export interface ServerInfo {
  ok: boolean
  version: string
  protocol: number
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

const serverInfoSchema = z.object({
  ok: z.boolean(),
  version: z.string(),
  protocol: count.default(1),
  limits: limitsSchema.default(DEFAULT_LIMITS),
})

/** The answer as ServerInfo, or a description of what is wrong with it. */
export function parseServerInfo(body: unknown): ServerInfo | {error: string} {
  const parsed = serverInfoSchema.safeParse(body)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  return {error: `${issue.path.join('.') || 'the answer'}: ${issue.message}`}
}
