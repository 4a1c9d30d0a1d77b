/**
 * For a long-lived process that mostly waits (the daemon). V8 grows its young generation to 32 MB during a
 * burst of allocation (a first pass over a large folder) and keeps it, empty, for good. node takes
 * --max-semi-space-size only at start, but the growth factor is read each time the space would grow: 1 keeps it
 * at its starting size (RSS ~30 MB lower). Setting a V8 flag after start is outside node's documented API:
 * test/util/young-generation.test.ts checks it still has this effect.
 */
import v8 from 'node:v8'

export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1')
}
