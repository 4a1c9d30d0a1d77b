/** PostgreSQL for a test: a fresh database on this test process's throwaway cluster (bench/lib/postgres-cluster.ts). */
import type {ExecutionContext} from 'ava'
import pg from 'pg'
import {newDatabase} from '../../bench/lib/postgres-cluster.js'

export {newDatabase} from '../../bench/lib/postgres-cluster.js'

/** The URL of a new, empty database on this process's cluster, dropped when the test ends. */
export async function freshDatabase(t: ExecutionContext): Promise<string> {
  const {url, drop} = await newDatabase()
  t.teardown(drop)
  return url
}

/**
 * A pool of a test's own, ended at its end. It listens for errors as the server's pools do: pool.end() resolves
 * before its connections are closed, and the database's drop (WITH FORCE) ending one of them then is an error event
 * the pool re-emits, an uncaught exception without a listener.
 */
export function testPool(t: ExecutionContext, url: string, max?: number): pg.Pool {
  const pool = new pg.Pool({connectionString: url, ...(max === undefined ? {} : {max})})
  pool.on('error', () => undefined)
  t.teardown(() => pool.end())
  return pool
}
