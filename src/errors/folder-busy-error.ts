import {SyncError} from './sync-error.js'

/** Another process (a daemon, a `sync once`) is syncing this folder. */
export class FolderBusyError extends SyncError {
  static readonly code = 'E_FOLDER_BUSY'
  readonly code = FolderBusyError.code
  constructor(
    readonly root: string,
    readonly pid: number,
  ) {
    super(`another sync process (pid ${pid}) is syncing ${root}; stop it or wait for it`, {root, pid})
  }
}
