/**
 * The storage backends the contract suite runs against, each opened fresh for a test: LMDB in a temp folder, and
 * PostgreSQL (a fresh database on this process's throwaway cluster) with a DiskBlobStore in a temp folder, and
 * (for the chunks) PostgreSQL with its packs in s3rver (an S3BlobStore, opened from its URL as `--blobs` does).
 * `reopen` closes the storage and opens what it stored again (what survives a restart).
 */
import type {ExecutionContext} from 'ava'
import {openLmdbStorage} from '#server/storage/lmdb/open-lmdb-storage.js'
import {randomBytes} from 'node:crypto'
import type {BlobStore} from '#server/storage/blobs/blob-store.js'
import {DiskBlobStore} from '#server/storage/blobs/disk-blob-store.js'
import {openBlobStore} from '#server/storage/blobs/open-blob-store.js'
import {openPostgresStorage} from '#server/storage/postgres/open-postgres-storage.js'
import type {ServerStorage} from '#server/storage/types.js'
import {freshDatabase} from '../../../helpers/postgres.js'
import type {S3rverProcess} from '../../../../bench/lib/s3rver.js'
import {tempDir} from '../../../helpers/temp.js'

export interface OpenedBackend {
  storage: ServerStorage
  /** Closes `storage` and opens the same data again. */
  reopen(): Promise<ServerStorage>
  /** Another handle on the same data, as a second server instance has (PostgreSQL only). */
  another?(): Promise<ServerStorage>
}

export interface Backend {
  name: 'lmdb' | 'postgres' | 'postgres+s3'
  open(t: ExecutionContext): Promise<OpenedBackend>
}

/** Closes what is open at the end of the test. */
function closing(t: ExecutionContext) {
  const open = new Set<ServerStorage>()
  t.teardown(async () => {
    for (const storage of open) await storage.close()
  })
  return (storage: ServerStorage) => {
    open.add(storage)
    const close = storage.close.bind(storage)
    storage.close = async () => {
      open.delete(storage)
      await close()
    }
    return storage
  }
}

export const lmdb: Backend = {
  name: 'lmdb',
  async open(t) {
    const dir = await tempDir(t, 'sync-contract-')
    const track = closing(t)
    const storage = track(await openLmdbStorage(dir))
    return {
      storage,
      async reopen() {
        await storage.close()
        return track(await openLmdbStorage(dir))
      },
    }
  },
}

/** PostgreSQL with its chunk packs in a blob store made fresh for each test by `blobStore`. */
function postgresWith(name: Backend['name'], blobStore: (t: ExecutionContext) => Promise<() => Promise<BlobStore>>): Backend {
  return {
    name,
    async open(t) {
      const url = await freshDatabase(t)
      const blobs = await blobStore(t)
      const track = closing(t)
      const open = async (migrate: boolean) => track(await openPostgresStorage(url, await blobs(), {migrate}))
      const storage = await open(true)
      return {
        storage,
        async reopen() {
          await storage.close()
          return open(false)
        },
        another: () => open(false),
      }
    },
  }
}

export const postgres = postgresWith('postgres', async (t) => {
  const blobs = await tempDir(t, 'sync-blobs-')
  return async () => new DiskBlobStore(blobs)
})

/** PostgreSQL with its packs in the S3 bucket `s3rver` serves, under a prefix of the test's own. */
export function postgresOnS3(s3rver: () => S3rverProcess): Backend {
  return postgresWith('postgres+s3', async () => {
    const prefix = `contract-${randomBytes(6).toString('hex')}`
    return () => openBlobStore(s3rver().url(prefix))
  })
}

export const BACKENDS: readonly Backend[] = [lmdb, postgres]
