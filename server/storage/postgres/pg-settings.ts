/** Per-namespace settings in PostgreSQL: the retention columns of `namespaces` (NULL: the default). */
import type pg from 'pg'
import {NotFoundError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import {checkDays, DEFAULT_RETENTION, type RetentionPolicy} from '../retention-policy.js'
import type {SettingsStorage} from '../types.js'

export class PgSettings implements SettingsStorage {
  constructor(private readonly pool: pg.Pool) {}

  async retention(namespace: string): Promise<RetentionPolicy> {
    const {rows} = await this.pool.query('SELECT keep_days, thin_days FROM namespaces WHERE name = $1', [namespace])
    const policy = {...DEFAULT_RETENTION}
    if (rows[0]?.keep_days != null) policy.keepDays = rows[0].keep_days
    if (rows[0]?.thin_days != null) policy.thinDays = rows[0].thin_days
    return policy
  }

  async setRetention(namespace: string, changes: Partial<RetentionPolicy>): Promise<RetentionPolicy> {
    checkNamespace(namespace)
    const keep = changes.keepDays === undefined ? null : checkDays('keepDays', changes.keepDays)
    const thin = changes.thinDays === undefined ? null : checkDays('thinDays', changes.thinDays)
    const {rowCount} = await this.pool.query('UPDATE namespaces SET keep_days = coalesce($2, keep_days), thin_days = coalesce($3, thin_days) WHERE name = $1', [
      namespace,
      keep,
      thin,
    ])
    if (rowCount === 0) throw new NotFoundError(`no namespace ${namespace} (a token makes one: sync-server token create)`, {namespace})
    return this.retention(namespace)
  }
}
