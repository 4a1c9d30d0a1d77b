/**
 * A client checked out of a pool, with an 'error' listener while it is out: the pool listens only to its idle
 * clients, and an error on a checked-out one between queries (the server restarted, an administrator ended the
 * connection) would otherwise be an uncaught exception that stops the process. The error marks the client
 * broken: it is closed at release instead of going back to the pool.
 */
import type pg from 'pg'
import {logger} from '#src/util/logger.js'

const debug = logger('server-postgres')

export interface CheckedOut {
  client: pg.PoolClient
  /** Gives the client back; `broken` (or an error it had meanwhile) closes it instead. */
  release(broken?: Error): void
}

export async function checkout(pool: pg.Pool): Promise<CheckedOut> {
  const client = await pool.connect()
  let failed: Error | undefined
  const onError = (error: Error) => {
    failed = error
    debug('connection in use failed: %s', error.message)
  }
  client.on('error', onError)
  return {
    client,
    release(broken) {
      client.off('error', onError)
      client.release(broken ?? failed)
    },
  }
}
