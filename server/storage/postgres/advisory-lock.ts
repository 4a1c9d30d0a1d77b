/**
 * PostgreSQL session advisory locks, held on a connection of a pool of their own (so that holders waiting for the
 * main pool never starve it of the connections they need). Keyed by hashtext of a name: a collision of two
 * namespaces' keys only serialises them needlessly.
 */
import type pg from 'pg'
import {checkout} from './checkout.js'

export async function withAdvisoryLock<T>(pool: pg.Pool, name: string, mode: 'shared' | 'exclusive', work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const suffix = mode === 'shared' ? '_shared' : ''
  const {client, release} = await checkout(pool)
  // A connection whose lock or unlock failed may hold the lock still: it is closed, not reused.
  let broken: Error | undefined
  try {
    await client.query(`SELECT pg_advisory_lock${suffix}(hashtext($1))`, [name]).catch((error: Error) => {
      broken = error
      throw error
    })
    try {
      return await work(client)
    } finally {
      await client.query(`SELECT pg_advisory_unlock${suffix}(hashtext($1))`, [name]).catch((error: Error) => {
        broken = error
      })
    }
  } finally {
    release(broken)
  }
}
