/**
 * `sync-server migrate --db URL [--json]`: brings a PostgreSQL database to this version's schema
 * (storage/postgres/migrations.ts), applying each missing migration in its own transaction. Safe to run again
 * (nothing to do) and beside serving instances of the same version; a database of a newer version is refused (17).
 */
import {parseArgs} from 'node:util'
import pg from 'pg'
import {InvalidInputError} from '#src/errors/index.js'
import {migrate} from '../storage/postgres/migrate.js'
import {connectionFailure} from '../storage/postgres/connection-failure.js'
import {USAGE} from './usage.js'

export async function runMigrate(args: string[]): Promise<number> {
  const {values} = parseArgs({args, options: {db: {type: 'string'}, json: {type: 'boolean'}, help: {type: 'boolean', short: 'h'}}})
  if (values.help) {
    process.stdout.write(USAGE.migrate)
    return 0
  }
  const db = values.db ?? process.env.SYNC_SERVER_DB
  if (db === undefined) throw new InvalidInputError('migrate needs --db URL (postgres://USER@HOST:PORT/DATABASE)')
  const pool = new pg.Pool({connectionString: db, max: 1})
  try {
    const report = await migrate(pool).catch((error: unknown) => {
      throw connectionFailure(error) ?? error
    })
    const applied = report.applied.map((m) => `${m.version} ${m.name}`).join(', ')
    process.stdout.write(
      values.json
        ? `${JSON.stringify(report, null, 2)}\n`
        : report.applied.length === 0
          ? `the database is at schema ${report.to}: nothing to do\n`
          : `migrated the database from schema ${report.from} to ${report.to} (applied ${applied})\n`,
    )
    return 0
  } finally {
    await pool.end()
  }
}
