/**
 * The typed error a command reports for `error`: itself when typed, a NoSpaceError when the OS said the disk is
 * full (a full disk is the user's to fix, not a bug: one clear line and exit 16), else undefined (unexpected).
 * Damage found in this folder's own store (the error names a pack) says how to repair it.
 */
import {CorruptDataError, isSyncError, NoSpaceError, type SyncError} from '#src/errors/index.js'
import {isStoreDamage} from '#src/store/store-damage.js'

export function asSyncError(error: unknown): SyncError | undefined {
  if (isStoreDamage(error)) {
    return new CorruptDataError(`${error.message}: this folder's store is damaged; 'sync fsck --repair' drops the damage and fetches it again`, error.data, {
      cause: error,
    })
  }
  if (isSyncError(error)) return error
  if (!NoSpaceError.from(error)) return undefined
  return new NoSpaceError(`no space left on this device: free some and run again (${(error as Error).message})`, {cause: error})
}
