/**
 * Applies the migrations a database lacks (migrations.ts), in order, each in its own transaction with its row in
 * `schema_migrations`; a transaction-scoped advisory lock keeps two instances migrating at once apart. A database
 * migrated by a newer version is refused, and so is serving from one not migrated yet (`sync-server migrate`).
 */
import type pg from 'pg'
import {checkout} from './checkout.js'
import {UnknownFormatError} from '#src/errors/index.js'
import {MIGRATIONS, SCHEMA_VERSION} from './migrations.js'

/** pg_advisory_xact_lock's key for migrations (any constant other locks do not use). */
const MIGRATION_LOCK = 0x73796e63

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`

export interface MigrateReport {
  /** The version before and after. */
  from: number
  to: number
  applied: {version: number; name: string}[]
}

function tooNew(found: number): UnknownFormatError {
  return new UnknownFormatError(
    `the database was migrated by a newer version of sync-server (schema ${found}; this one knows up to ${SCHEMA_VERSION}): update sync-server`,
    {found, current: SCHEMA_VERSION},
  )
}

async function versionOf(client: pg.PoolClient | pg.Pool): Promise<number> {
  const exists = await client.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`)
  if (!exists.rows[0].present) return 0
  const {rows} = await client.query('SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations')
  return rows[0].version as number
}

export async function migrate(pool: pg.Pool): Promise<MigrateReport> {
  const from = await versionOf(pool)
  const applied: MigrateReport['applied'] = []
  for (;;) {
    const {client, release} = await checkout(pool)
    try {
      await client.query('BEGIN')
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      await client.query(CREATE_TABLE)
      const current = await versionOf(client)
      if (current > SCHEMA_VERSION) throw tooNew(current)
      const next = MIGRATIONS.find((migration) => migration.version > current)
      if (!next) {
        await client.query('COMMIT')
        return {from, to: current, applied}
      }
      await client.query(next.sql)
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [next.version, next.name])
      await client.query('COMMIT')
      applied.push({version: next.version, name: next.name})
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw error
    } finally {
      release()
    }
  }
}

/** Throws unless the database is at this version's schema. */
export async function checkSchema(pool: pg.Pool): Promise<void> {
  const found = await versionOf(pool)
  if (found > SCHEMA_VERSION) throw tooNew(found)
  if (found < SCHEMA_VERSION)
    throw new UnknownFormatError(`the database's schema is version ${found}, this sync-server needs ${SCHEMA_VERSION}: run sync-server migrate --db URL`, {
      found,
      current: SCHEMA_VERSION,
    })
}
