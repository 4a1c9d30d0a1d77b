import {SyncError} from './sync-error.js'

/** The server refused a request with an error that no more specific class names; its status, code and message are kept. */
export class ServerRejectedError extends SyncError {
  static readonly code = 'E_SERVER_REJECTED'
  readonly code = ServerRejectedError.code
  constructor(
    readonly status: number,
    readonly serverCode: string,
    readonly serverMessage: string,
    serverData?: Record<string, unknown>,
  ) {
    super(`server refused (${status} ${serverCode}): ${serverMessage}`, {
      status,
      code: serverCode,
      message: serverMessage,
      ...(serverData ? {data: serverData} : {}),
    })
  }
}
