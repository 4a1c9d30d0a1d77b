/** A nanosecond time (a bigint stat's) as node computes the plain stat's `mtimeMs` from the same timespec, so the two compare equal. */
export function msFromNs(ns: bigint | string): number {
  const big = BigInt(ns)
  return Number(big / 1_000_000_000n) * 1000 + Number(big % 1_000_000_000n) / 1e6
}
