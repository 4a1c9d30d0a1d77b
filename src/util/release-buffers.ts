/**
 * Gives back the memory of the Buffers a transfer of packs let go of. V8 collects by the growth of its own heap;
 * memory outside it (Buffers) starts a collection only once about 64 MB more of it is held than after the last
 * one, and a pack's way through (its body, the inflated blocks or tar it was made of, its chunks) is mostly that:
 * a daemon sending a 200 MB file reported 88 MB of Buffers of which 45 MB were alive. Called after each pack
 * sent or received: a full collection (about 10 ms for a daemon's heap) when Buffers grew by more than a pack's
 * worth since the last one. node exposes its collector only behind a flag, set here after start as
 * young-generation.ts does; test/util/release-buffers.test.ts checks it still works.
 */
import v8 from 'node:v8'
import vm from 'node:vm'

/** Growth of Buffers held since the last collection that is worth one. */
const GROWTH_BYTES = 16 * 1024 * 1024

let collect: (() => void) | undefined
/** Buffers held after the last collection (freed ones are counted off a little later: V8 sweeps them apart). */
let floor = 0

/** Collects garbage when Buffers grew by GROWTH_BYTES since the last time; returns whether it did. */
export function releaseDeadBuffers(): boolean {
  const held = process.memoryUsage().arrayBuffers
  floor = Math.min(floor, held)
  if (held - floor < GROWTH_BYTES) return false
  collect ??= exposedCollector()
  collect()
  floor = held
  return true
}

/** node's `gc`, or nothing to do if a later node no longer exposes it this way (a transfer must never fail for it). */
function exposedCollector(): () => void {
  v8.setFlagsFromString('--expose-gc')
  const gc: unknown = vm.runInNewContext('typeof gc === "function" ? gc : undefined')
  return typeof gc === 'function' ? (gc as () => void) : () => undefined
}

/**
 * For a long-lived process (the daemon, the server): releaseDeadBuffers four times a second, for what churns
 * Buffers between packs (hashing a big file, writing one from its chunks). Does not keep the process alive.
 */
export function releaseDeadBuffersOften(): void {
  setInterval(releaseDeadBuffers, 250).unref()
}
