/**
 * The storage a test server runs on: LMDB in a temp folder, or with SYNC_TEST_BACKEND=postgres a fresh PostgreSQL
 * database on this process's throwaway cluster (helpers/postgres.ts) with its blobs in the temp folder, so that a
 * chosen server test file runs against either backend unchanged.
 */
import type {ExecutionContext} from 'ava'
import {openLmdbStorage} from '#server/storage/lmdb/open-lmdb-storage.js'
import {DiskBlobStore} from '#server/storage/blobs/disk-blob-store.js'
import {openPostgresStorage} from '#server/storage/postgres/open-postgres-storage.js'
import type {ServerStorage} from '#server/storage/types.js'
import {freshDatabase} from './postgres.js'
import {tempDir} from './temp.js'

export const TEST_BACKEND = process.env.SYNC_TEST_BACKEND === 'postgres' ? 'postgres' : 'lmdb'

/** Storage for one test (closing it is the caller's), and the temp folder that holds its files. */
export async function openTestStorage(t: ExecutionContext): Promise<{dir: string; storage: ServerStorage}> {
  const dir = await tempDir(t, 'sync-server-')
  if (TEST_BACKEND === 'lmdb') return {dir, storage: await openLmdbStorage(dir)}
  return {dir, storage: await openPostgresStorage(await freshDatabase(t), new DiskBlobStore(dir), {migrate: true})}
}
