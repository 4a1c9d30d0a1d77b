/**
 * The storage backends the contract suite runs against, each opened fresh for a test: LMDB in a temp folder, and
 * PostgreSQL (a fresh database on this process's throwaway cluster) with a DiskBlobStore in a temp folder.
 * `reopen` closes the storage and opens what it stored again (what survives a restart).
 */
import type {ExecutionContext} from 'ava'
import {openLmdbStorage} from '#server/storage/lmdb/open-lmdb-storage.js'
import {DiskBlobStore} from '#server/storage/blobs/disk-blob-store.js'
import {openPostgresStorage} from '#server/storage/postgres/open-postgres-storage.js'
import type {ServerStorage} from '#server/storage/types.js'
import {freshDatabase} from '../../../helpers/postgres.js'
import {tempDir} from '../../../helpers/temp.js'

export interface OpenedBackend {
  storage: ServerStorage
  /** Closes `storage` and opens the same data again. */
  reopen(): Promise<ServerStorage>
  /** Another handle on the same data, as a second server instance has (PostgreSQL only). */
  another?(): Promise<ServerStorage>
}

export interface Backend {
  name: 'lmdb' | 'postgres'
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

export const postgres: Backend = {
  name: 'postgres',
  async open(t) {
    const url = await freshDatabase(t)
    const blobs = await tempDir(t, 'sync-blobs-')
    const track = closing(t)
    const open = async (migrate: boolean) => track(await openPostgresStorage(url, new DiskBlobStore(blobs), {migrate}))
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

export const BACKENDS: readonly Backend[] = [lmdb, postgres]
