/** A database that cannot be reached, as the typed NetworkError (exit 8), or undefined for any other error. */
import {NetworkError} from '#src/errors/index.js'

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'EAI_AGAIN'])
/** PostgreSQL's codes for a database or role that does not exist, or a refused login. */
const REFUSED = new Set(['3D000', '28000', '28P01'])

export function connectionFailure(error: unknown): NetworkError | undefined {
  const code = (error as {code?: string}).code
  if (code === undefined || !(UNREACHABLE.has(code) || REFUSED.has(code))) return undefined
  return new NetworkError(`cannot use the database: ${(error as Error).message}`, {cause: error})
}
