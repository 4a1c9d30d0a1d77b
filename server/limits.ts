/** The server's bounds on every request (docs/protocol.md, Limits). */
import {PACK_LIMITS, PACK_TARGET_BYTES, type PackLimits} from '../src/pack/pack-limits.js'

export interface ServerLimits {
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

export const SERVER_LIMITS: ServerLimits = {
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
