/**
 * PostgreSQL storage named by --db URL and --blobs URL (else SYNC_SERVER_BLOBS), for serving and the admin verbs.
 * node-postgres is loaded only here, when a --db is named: a server on its data folder never pays its import.
 */
import {InvalidInputError} from '#src/errors/index.js'
import {openBlobStore} from '../storage/blobs/open-blob-store.js'
import type {ServerStorage} from '../storage/types.js'

export async function openDatabaseStorage(db: string, blobs: string | undefined): Promise<ServerStorage> {
  const where = blobs ?? process.env.SYNC_SERVER_BLOBS
  if (!where) throw new InvalidInputError('--db needs --blobs URL too (where chunk bytes go: file:///path), or SYNC_SERVER_BLOBS')
  const blobStore = await openBlobStore(where)
  const {openPostgresStorage} = await import('../storage/postgres/open-postgres-storage.js')
  return openPostgresStorage(db, blobStore)
}
