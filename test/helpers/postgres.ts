/** PostgreSQL for a test: a fresh database on this test process's throwaway cluster (bench/lib/postgres-cluster.ts). */
import type {ExecutionContext} from 'ava'
import {newDatabase} from '../../bench/lib/postgres-cluster.js'

export {newDatabase} from '../../bench/lib/postgres-cluster.js'

/** The URL of a new, empty database on this process's cluster, dropped when the test ends. */
export async function freshDatabase(t: ExecutionContext): Promise<string> {
  const {url, drop} = await newDatabase()
  t.teardown(drop)
  return url
}
