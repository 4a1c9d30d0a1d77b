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
 * both limits, even for bytes that do not compress, and a bounded amount of memory on either side.
 */
export const PACK_TARGET_BYTES = 32 * 1024 * 1024
