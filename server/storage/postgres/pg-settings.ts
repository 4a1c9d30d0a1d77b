/**
 * Per-namespace settings in PostgreSQL: the retention columns of `namespaces` (NULL: the default), and its
 * `encryption` (NULL: a plain namespace; migration 2) and `quota_bytes` (NULL: no quota; migration 3).
 */
import type pg from 'pg'
import {NotFoundError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import type {EncryptionSetting} from '#src/protocol/encryption-setting.js'
import {checkQuota} from '../namespace-quota.js'
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

  async encryption(namespace: string): Promise<EncryptionSetting | undefined> {
    const {rows} = await this.pool.query('SELECT encryption FROM namespaces WHERE name = $1', [namespace])
    return rows[0]?.encryption ?? undefined
  }

  async setEncryption(namespace: string, setting: EncryptionSetting): Promise<EncryptionSetting> {
    checkNamespace(namespace)
    // One statement: the first setting wins, whichever instance it reached.
    const {rows} = await this.pool.query('UPDATE namespaces SET encryption = coalesce(encryption, $2::jsonb) WHERE name = $1 RETURNING encryption', [
      namespace,
      JSON.stringify(setting),
    ])
    if (rows.length === 0) throw new NotFoundError(`no namespace ${namespace}`, {namespace})
    return rows[0].encryption
  }

  async quota(namespace: string): Promise<number | undefined> {
    const {rows} = await this.pool.query('SELECT quota_bytes FROM namespaces WHERE name = $1', [namespace])
    // bigint comes as a string; quotas are safe integers (checkQuota).
    return rows[0]?.quota_bytes == null ? undefined : Number(rows[0].quota_bytes)
  }

  async setQuota(namespace: string, bytes: number | null): Promise<number | undefined> {
    checkNamespace(namespace)
    if (bytes !== null) checkQuota(bytes)
    const {rowCount} = await this.pool.query('UPDATE namespaces SET quota_bytes = $2 WHERE name = $1', [namespace, bytes])
    if (rowCount === 0) throw new NotFoundError(`no namespace ${namespace} (a token makes one: sync-server token create)`, {namespace})
    return this.quota(namespace)
  }
}
