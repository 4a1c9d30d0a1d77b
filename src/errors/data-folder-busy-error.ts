import {SyncError} from './sync-error.js'

/** Another sync-server is serving this data folder: two would each keep their own view of the journal. */
export class DataFolderBusyError extends SyncError {
  static readonly code = 'E_DATA_BUSY'
  readonly code = DataFolderBusyError.code
  /** `instead`: what the operator can do rather than stop the server (a verb the server does itself). */
  constructor(
    readonly folder: string,
    readonly pid: number,
    instead?: string,
  ) {
    super(`another sync-server (pid ${pid}) is serving the data folder ${folder}; ${instead ?? 'stop it first'}`, {folder, pid})
  }
}
