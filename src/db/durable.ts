/**
 * lmdb-js resolves a write when it is committed (visible to readers) and, with overlappingSync (its default
 * on Linux), flushes to disk afterwards. Anything we acknowledge or build on must wait for the flush too.
 * A batched `transaction` keeps the writes made before its callback threw (measured: a put before a too-long key
 * survived); running the work as a child transaction makes a throw abort all of it.
 */
import type {RootDatabase} from 'lmdb'

export async function durableTransaction<T>(env: RootDatabase, work: () => T): Promise<T> {
  const result = await env.transaction(() => env.childTransaction(work))
  await env.flushed
  return result
}
