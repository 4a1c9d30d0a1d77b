/**
 * The path rules of the protocol (docs/protocol.md, Conventions): one function, used by the server on every path
 * it is sent and by clients on every path they receive, before anything touches a disk.
 */
import {InvalidPathError} from '../errors/index.js'
import {SYNC_DIR_NAME} from '../folder/layout.js'
import {TEMP_FILE_PATTERN} from '../util/temp-path.js'

/** Bytes of UTF-8 in a whole path: what every server key and every client's disk can hold (macOS: 1024). */
export const MAX_PATH_BYTES = 1024
/** Bytes of UTF-8 in one name (a segment between slashes): the limit of ext4, APFS and NTFS alike. */
export const MAX_NAME_BYTES = 255

/** With the u flag, a surrogate range matches only unpaired halves: text that has no UTF-8 form. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u
const CONTROL = /[\u0000-\u001f]/
const DRIVE = /^[A-Za-z]:/

/** Why `path` is refused, or undefined when the protocol allows it. */
export function validatePath(path: string): string | undefined {
  if (path.length === 0) return 'it is empty'
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) return `it is over ${MAX_PATH_BYTES} bytes`
  if (LONE_SURROGATE.test(path)) return 'it is not valid Unicode'
  if (path.includes('\u0000')) return 'it contains NUL'
  if (CONTROL.test(path)) return 'it contains a control character'
  if (path.includes('\\')) return 'it contains a backslash'
  if (path.startsWith('/')) return 'it is absolute'
  if (DRIVE.test(path)) return 'it starts with a drive letter'
  const segments = path.split('/')
  for (const [index, segment] of segments.entries()) {
    if (segment === '') return 'it has an empty segment (// or a trailing /)'
    if (segment === '.' || segment === '..') return `it has a '${segment}' segment`
    if (Buffer.byteLength(segment) > MAX_NAME_BYTES) return `a name in it is over ${MAX_NAME_BYTES} bytes`
    // sync's own temp names never travel (the scanner skips them); from another writer, one could pose as an
    // interrupted `config set --reset` that finding the folder would finish (folder/reset-state.ts).
    if (TEMP_FILE_PATTERN.test(segment)) return "a name in it is one of sync's temp names (.NAME.sync-XXXXXXXX.tmp)"
    // At any depth: a `.sync/` below the top makes its folder a synced folder of its own (found first by `sync` run
    // from inside it), so one planted by another writer would hand that folder to the writer's server and token.
    if (segment.toLowerCase() === SYNC_DIR_NAME) return index === 0 ? "it is inside the folder's .sync" : "a name in it is '.sync' (a synced folder's own)"
  }
  return undefined
}

/** Returns `path` when the protocol allows it, else throws InvalidPathError saying why. */
export function checkPath(path: string): string {
  const reason = validatePath(path)
  if (reason !== undefined) throw new InvalidPathError(path, reason)
  return path
}
