/**
 * An id's home slot in a hash table (before masking): its first two words and a seed through murmur3's finalizer.
 * Ids that land together for every seed share both words, which no one can grind for (chunk-index.ts, id-set.ts).
 */
export function homeOf(first: number, second: number, seed: number): number {
  let h = ((first ^ seed) + Math.imul(second, 0x9e3779b1)) | 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}
