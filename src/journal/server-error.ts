/** Turns a server's error answer (`{error: {code, message, data}}` with a status) into the typed error it names. */
import {ForbiddenError, MissingChunksError, NoSpaceError, NotFoundError, ServerRejectedError, UnauthorizedError, type SyncError} from '../errors/index.js'

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
  if (code === 'E_NO_SPACE') return new NoSpaceError(`the server is out of space: ${message}`)
  if (code === 'E_MISSING_CHUNKS' && Array.isArray(data?.ids)) return new MissingChunksError(data.ids as string[], 'the server')
  return new ServerRejectedError(status, code, message, data)
}
