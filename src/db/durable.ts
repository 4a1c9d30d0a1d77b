/**
 * lmdb-js resolves a write when it is committed (visible to readers) and, with overlappingSync (its default
 * on Linux), flushes to disk afterwards. Anything we acknowledge or build on must wait for the flush too.
 */
import type {RootDatabase} from 'lmdb'

export async function durableTransaction<T>(env: RootDatabase, work: () => T): Promise<T> {
  const result = await env.transaction(work)
  await env.flushed
  return result
}
