/**
 * Temp files sit next to their target (a rename is atomic only within one filesystem) and are named
 * `.NAME.sync-XXXXXXXX.tmp`, a pattern the indexer ignores and cleans up after a crash.
 */
import {randomBytes} from 'node:crypto'
import path from 'node:path'

export const TEMP_FILE_PATTERN = /^\..*\.sync-[0-9a-f]{8}\.tmp$/

/** Names stay under the usual 255-byte limit: a long base name is shortened (the temp name only needs to be unique). */
const MAX_BASE_BYTES = 200

/** A random start per process, then a counter: unique enough with 'wx' opens, and no random bytes per file. */
let next = randomBytes(4).readUInt32BE(0)

export function tempPathFor(target: string): string {
  let base = path.basename(target)
  while (Buffer.byteLength(base) > MAX_BASE_BYTES) base = base.slice(0, -1)
  next = (next + 1) >>> 0
  return path.join(path.dirname(target), `.${base}.sync-${next.toString(16).padStart(8, '0')}.tmp`)
}
