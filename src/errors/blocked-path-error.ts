import {SyncError} from './sync-error.js'

/**
 * A path in the synced folder that cannot be used as it is: a folder above it is a symlink or a file here
 * (`at`), which sync never follows, or a folder stands where a file should go. Reported, never forced.
 */
export type BlockedReason = 'parent-not-folder' | 'folder-in-the-way'

export class BlockedPathError extends SyncError {
  static readonly code = 'E_BLOCKED_PATH'
  readonly code = BlockedPathError.code
  constructor(
    readonly path: string,
    readonly reason: BlockedReason,
    readonly at: string,
  ) {
    super(
      reason === 'parent-not-folder'
        ? `${path}: ${at} is not a folder here (a symlink or a file), and sync never goes through it`
        : `${path}: a folder is in the way of this file`,
      {path, reason, at},
    )
  }
}
