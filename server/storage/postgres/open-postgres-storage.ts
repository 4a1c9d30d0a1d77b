/**
 * The scaled-out storage: journal, tokens, namespaces, settings, devices and the chunk index in PostgreSQL, chunk
 * bytes in a BlobStore, wake-ups across instances by LISTEN/NOTIFY. Any number of server instances may share one
 * database and blob store. Refuses a database whose commits are not durable (fsync or synchronous_commit off: a
 * journal entry shown could be lost in a crash and its JID reused) and one not migrated to this version's schema
 * (`sync-server migrate`; `migrate: true` does it here, for tests and embedding).
 */
import pg from 'pg'
import {InvalidInputError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import {logger} from '#src/util/logger.js'
import type {BlobStore} from '../blobs/blob-store.js'
import type {ChunkStorage, ServerStorage} from '../types.js'
import {connectionFailure} from './connection-failure.js'
import {checkSchema, migrate} from './migrate.js'
import {PgNamespaceChunks} from './pg-chunks.js'
import {PgDevices} from './pg-devices.js'
import {PgFeed} from './pg-feed.js'
import {PgJournal} from './pg-journal.js'
import {PgSettings} from './pg-settings.js'
import {PgTokens} from './pg-tokens.js'

const debug = logger('postgres')

/** Connections per pool: the main one (queries, transactions), and the one advisory locks hold theirs on. */
const POOL_SIZE = 20
const LOCK_POOL_SIZE = 20

export interface PostgresStorage extends ServerStorage {
  feed: PgFeed
}

export async function openPostgresStorage(url: string, blobs: BlobStore, options: {migrate?: boolean} = {}): Promise<PostgresStorage> {
  const config: pg.PoolConfig = {connectionString: url}
  const pool = new pg.Pool({...config, max: POOL_SIZE})
  const locks = new pg.Pool({...config, max: LOCK_POOL_SIZE})
  // An idle connection that breaks is dropped by the pool; the next query opens another.
  for (const p of [pool, locks]) p.on('error', (error) => debug('idle connection failed: %s', error.message))
  try {
    await checkDurable(pool)
    if (options.migrate) await migrate(pool)
    else await checkSchema(pool)
  } catch (error) {
    await Promise.all([pool.end(), locks.end()])
    throw connectionFailure(error) ?? error
  }
  const feed = new PgFeed(pool, config)
  const open = new Map<string, PgNamespaceChunks>()
  const chunks: ChunkStorage = {
    async namespace(name) {
      let store = open.get(name)
      if (!store) open.set(name, (store = new PgNamespaceChunks({pool, locks, blobs}, checkNamespace(name))))
      return store
    },
    async close() {},
  }
  return {
    journal: new PgJournal(pool),
    chunks,
    tokens: new PgTokens(pool),
    settings: new PgSettings(pool),
    devices: new PgDevices(pool),
    feed,
    async close() {
      await feed.close()
      await blobs.close()
      await Promise.all([pool.end(), locks.end()])
    },
  }
}

async function checkDurable(pool: pg.Pool): Promise<void> {
  const {rows} = await pool.query(`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync`)
  const {fsync, sync} = rows[0] as {fsync: string; sync: string}
  if (fsync !== 'on' || sync === 'off')
    throw new InvalidInputError(
      `the database does not make commits durable (fsync=${fsync}, synchronous_commit=${sync}): sync-server needs fsync on and synchronous_commit not off`,
    )
}
