import {SyncError} from './sync-error.js'

/**
 * A path in the synced folder that cannot be used as it is: a folder above it is a symlink or a file here
 * (`at`), which sync never follows, or a folder, a pipe, a socket or a device stands where a file should go.
 * Reported, never forced.
 */
export type BlockedReason = 'parent-not-folder' | 'folder-in-the-way' | 'special-in-the-way'

const explain = (path: string, reason: BlockedReason, at: string) =>
  reason === 'parent-not-folder'
    ? `${path}: ${at} is not a folder here (a symlink or a file), and sync never goes through it`
    : reason === 'folder-in-the-way'
      ? `${path}: a folder is in the way of this file`
      : `${path}: a pipe, a socket or a device is in the way of this file (sync never replaces one)`

export class BlockedPathError extends SyncError {
  static readonly code = 'E_BLOCKED_PATH'
  readonly code = BlockedPathError.code
  constructor(
    readonly path: string,
    readonly reason: BlockedReason,
    readonly at: string,
  ) {
    super(explain(path, reason, at), {path, reason, at})
  }
}
