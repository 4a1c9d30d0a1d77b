/** Bounds on wire packs (docs/protocol.md, Limits): every reader enforces them, every writer stays under them. */

export interface PackLimits {
  /** Bytes of the pack as sent (raw deflate). */
  maxCompressed: number
  /** Bytes of the tar archive once inflated. */
  maxInflated: number
}

export const PACK_LIMITS: PackLimits = {
  maxCompressed: 64 * 1024 * 1024,
  maxInflated: 256 * 1024 * 1024,
}

/**
 * Chunk bytes a sender puts in one pack (uploads, and each fetch answer) before starting another: well under
 * both limits, even for bytes that do not compress, and a bounded amount of memory on either side: a pack on its
 * way is held about three times over (the blocks read for it, its tar, its body): with 32 MiB packs a daemon's and
 * the server's Buffers swung by 50-60 MB while a big file moved (docs/benchmarks.md, issue 13's 250 MB goal).
 */
export const PACK_TARGET_BYTES = 8 * 1024 * 1024
