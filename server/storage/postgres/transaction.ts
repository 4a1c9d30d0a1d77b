/** Runs `work` in one transaction on a client of the pool: COMMIT when it resolves, ROLLBACK when it throws. */
import type pg from 'pg'
import {checkout} from './checkout.js'

export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const {client, release} = await checkout(pool)
  try {
    await client.query(begin)
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    release()
  }
}
