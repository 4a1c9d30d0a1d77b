/**
 * The protocol's bounds on every request (docs/protocol.md, Limits). A server advertises its own in its health
 * answer (server-info.ts); a client stays within them. Every server of this protocol takes at least
 * PROTOCOL_MINIMUMS, so a client sends requests that small without asking first, and learns the server's own
 * limits (one request) only before a larger one.
 */
import {PACK_LIMITS, PACK_TARGET_BYTES, type PackLimits} from './wire-pack/limits.js'

export interface ProtocolLimits {
  jsonBody: number
  commitItems: number
  /** Chunk bytes inline in one commit. */
  commitInline: number
  pack: PackLimits
  /** Chunk bytes in one fetch answer; the rest of the ids are left for the next request. */
  fetchPack: number
  idsPerRequest: number
  pageEntries: number
  waitSeconds: number
  changesInline: number
}

/** What sync-server takes unless configured otherwise. */
export const DEFAULT_LIMITS: ProtocolLimits = {
  jsonBody: 16 * 1024 * 1024,
  commitItems: 1000,
  commitInline: 1024 * 1024,
  pack: PACK_LIMITS,
  fetchPack: PACK_TARGET_BYTES,
  idsPerRequest: 100_000,
  pageEntries: 1000,
  waitSeconds: 60,
  changesInline: 256 * 1024,
}

/** The least a server of this protocol may take: a server configured below them does not start. */
export const PROTOCOL_MINIMUMS = {
  commitItems: 100,
  commitInline: 64 * 1024,
  idsPerRequest: 1000,
} as const

/** The limits' fields below the protocol's minimums, as readable names (none: all is well). */
export function belowMinimums(limits: ProtocolLimits): string[] {
  return (Object.keys(PROTOCOL_MINIMUMS) as (keyof typeof PROTOCOL_MINIMUMS)[])
    .filter((key) => limits[key] < PROTOCOL_MINIMUMS[key])
    .map((key) => `${key} ${limits[key]} (at least ${PROTOCOL_MINIMUMS[key]})`)
}
