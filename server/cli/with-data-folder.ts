/** The data folder of an admin verb (--data DIR, else SYNC_SERVER_DATA), opened for `work` and closed after it. */
import {InvalidInputError} from '#src/errors/index.js'
import {openLmdbStorage} from '../storage/lmdb/open-lmdb-storage.js'
import type {ServerStorage} from '../storage/types.js'

/** `create`: a new token may start a data folder (the first step of a setup); reading or revoking needs one that exists. */
export async function withDataFolder<T>(verb: string, data: string | undefined, create: boolean, work: (storage: ServerStorage) => Promise<T>): Promise<T> {
  const dir = data ?? process.env.SYNC_SERVER_DATA
  if (!dir) throw new InvalidInputError(`${verb} needs --data DIR`)
  const storage = await openLmdbStorage(dir, {create})
  try {
    return await work(storage)
  } finally {
    await storage.close()
  }
}
