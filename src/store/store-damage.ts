import {CorruptDataError} from '../errors/index.js'

/** Whether `error` is damage found in a chunk store of this machine (it names the pack), not bad data from the wire. */
export function isStoreDamage(error: unknown): error is CorruptDataError {
  return error instanceof CorruptDataError && error.data.pack !== undefined
}
