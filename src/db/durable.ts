/**
 * lmdb-js can resolve a write when it is committed (visible to readers) and flush to disk afterwards
 * (overlappingSync, its default on Linux; open-env.ts turns it off). Anything we acknowledge or build on must
 * wait for the flush too, so it is awaited whatever the setting.
 * A batched `transaction` keeps the writes made before its callback threw (measured: a put before a too-long key
 * survived); running the work as a child transaction makes a throw abort all of it. A failed commit (a full disk)
 * is thrown as what caused it (commit-failure.ts). No write starts without room for it (room-for-write.ts):
 * `bytes` is about what the work writes, when that is more than a few pages.
 */
import type {RootDatabase} from 'lmdb'
import {committing} from './commit-failure.js'
import {envPath} from './open-env.js'
import {ensureRoom} from './room-for-write.js'

export async function durableTransaction<T>(env: RootDatabase, work: () => T, bytes = 0): Promise<T> {
  const dir = envPath(env)
  await ensureRoom(dir, bytes)
  const result = await committing(
    env.transaction(() => env.childTransaction(work)),
    dir,
  )
  await committing(env.flushed as Promise<boolean>, dir)
  return result
}
