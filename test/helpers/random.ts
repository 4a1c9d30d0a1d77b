/** Seeded randomness for tests (mulberry32): the same seed gives the same bytes on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function randomBytes(size: number, seed: number): Buffer {
  const next = seededRandom(seed)
  const bytes = Buffer.allocUnsafe(Math.ceil(size / 4) * 4)
  for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE(Math.floor(next() * 4294967296), i)
  return bytes.subarray(0, size)
}
