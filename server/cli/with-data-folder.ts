/**
 * The storage of an admin verb, opened for `work` and closed after it: PostgreSQL and a blob store with --db URL
 * --blobs URL (else SYNC_SERVER_DB, SYNC_SERVER_BLOBS), or else the data folder --data DIR (else SYNC_SERVER_DATA).
 */
import {InvalidInputError} from '#src/errors/index.js'
import {openLmdbStorage} from '../storage/lmdb/open-lmdb-storage.js'
import type {ServerStorage} from '../storage/types.js'
import {openDatabaseStorage} from './open-database-storage.js'

/** The flags every admin verb takes to name its storage. */
export const STORAGE_FLAGS = {data: {type: 'string'}, db: {type: 'string'}, blobs: {type: 'string'}} as const

export interface StorageFlags {
  data?: string
  db?: string
  blobs?: string
}

/** `create`: a new token may start a data folder (the first step of a setup); reading or revoking needs one that exists. */
export async function withDataFolder<T>(verb: string, flags: StorageFlags, create: boolean, work: (storage: ServerStorage) => Promise<T>): Promise<T> {
  const storage = await openAdminStorage(verb, flags, create)
  try {
    return await work(storage)
  } finally {
    await storage.close()
  }
}

function openAdminStorage(verb: string, flags: StorageFlags, create: boolean): Promise<ServerStorage> {
  const db = flags.db ?? process.env.SYNC_SERVER_DB
  if (db !== undefined) return openDatabaseStorage(db, flags.blobs)
  const dir = flags.data ?? process.env.SYNC_SERVER_DATA
  if (!dir) throw new InvalidInputError(`${verb} needs --data DIR (or --db URL --blobs URL)`)
  return openLmdbStorage(dir, {create})
}
