import type {ServerInfo} from '../protocol/server-info.js'
import {updateCommand} from '../protocol/update-command.js'
import {PROTOCOL_VERSION} from '../protocol/version.js'

/** Turns a server's error answer (`{error: {code, message, data}}` with a status) into the typed error it names. */
import {
  ClientTooOldError,
  EncryptionMismatchError,
  ForbiddenError,
  MissingChunksError,
  NoSpaceError,
  NotFoundError,
  ServerRejectedError,
  UnauthorizedError,
  type SyncError,
} from '../errors/index.js'

export function serverError(status: number, body: Buffer): SyncError {
  let error: {code?: unknown; message?: unknown; data?: unknown} = {}
  try {
    error = (JSON.parse(body.toString('utf8')) as {error?: typeof error}).error ?? {}
  } catch {
    // not our JSON: a proxy's page, say
  }
  const code = typeof error.code === 'string' ? error.code : `HTTP_${status}`
  const message = typeof error.message === 'string' ? error.message : body.toString('utf8', 0, 200).replace(/\s+/g, ' ').trim() || `status ${status}`
  const data = error.data !== null && typeof error.data === 'object' ? (error.data as Record<string, unknown>) : undefined
  if (status === 401) return new UnauthorizedError(`server refused the token: ${message}`)
  if (status === 403) return new ForbiddenError(`server refused: ${message}`, data)
  if (code === 'E_NOT_FOUND') return new NotFoundError(message, data)
  if (code === 'E_NO_SPACE') return new NoSpaceError(`the server is out of space: ${message}`, {onServer: true})
  if (code === 'E_CLIENT_TOO_OLD') return new ClientTooOldError(withUpdateCommand(message, data?.latestClient), data)
  if (code === 'E_ENCRYPTION') return new EncryptionMismatchError(message, data)
  if (code === 'E_MISSING_CHUNKS' && Array.isArray(data?.ids)) return new MissingChunksError(data.ids as string[], 'the server')
  return new ServerRejectedError(status, code, message, data)
}

/** A server message about this client's age, with the command that updates it (to the newest the server knows of). */
function withUpdateCommand(message: string, latestClient: unknown): string {
  const version = typeof latestClient === 'string' && /^[\w.+-]{1,64}$/.test(latestClient) ? latestClient : 'latest'
  return `${message}: update this sync with '${updateCommand(version)}'`
}

/** A server whose health says it speaks a newer protocol than this client (and perhaps serves this one read-only). */
export function clientTooOld(origin: string, info: Pick<ServerInfo, 'protocol' | 'readOnlyProtocols' | 'latestClient' | 'version'>): ClientTooOldError {
  const readOnly = info.readOnlyProtocols.includes(PROTOCOL_VERSION)
  const how = readOnly ? 'serves it read-only' : 'does not serve it'
  return new ClientTooOldError(
    withUpdateCommand(
      `this sync speaks protocol ${PROTOCOL_VERSION}, and the server at ${origin} (${info.version}) ${how} (it speaks protocol ${info.protocol})`,
      info.latestClient,
    ),
    {protocol: info.protocol, readOnly},
  )
}
