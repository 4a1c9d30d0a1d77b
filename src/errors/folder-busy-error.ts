import {SyncError} from './sync-error.js'

/** Another process (a daemon, a `sync once`) is syncing this folder; or it did not answer what was handed to it. */
export class FolderBusyError extends SyncError {
  static readonly code = 'E_FOLDER_BUSY'
  readonly code = FolderBusyError.code
  constructor(
    readonly root: string,
    readonly pid: number,
    message = `another sync process (pid ${pid}) is syncing ${root}; stop it or wait for it`,
  ) {
    super(message, {root, pid})
  }
}
