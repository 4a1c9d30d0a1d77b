/**
 * Per-namespace settings in LMDB: db `namespace-settings`, ns -> {keepDays?, thinDays?} (unset: the defaults);
 * db `namespace-encryption`, ns -> its encryption setting (absent: a plain namespace); db `namespace-quota`,
 * ns -> its quota in bytes (absent: none).
 */
import type {Database, RootDatabase} from 'lmdb'
import {durableTransaction} from '#src/db/durable.js'
import {NotFoundError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import type {EncryptionSetting} from '#src/protocol/encryption-setting.js'
import {checkQuota} from '../namespace-quota.js'
import {checkDays, DEFAULT_RETENTION, type RetentionPolicy} from '../retention-policy.js'
import type {SettingsStorage} from '../types.js'

export class LmdbSettings implements SettingsStorage {
  private readonly settings: Database<Partial<RetentionPolicy>, string>
  private readonly names: Database<unknown, string>
  private readonly encryptions: Database<EncryptionSetting, string>
  private readonly quotas: Database<number, string>

  constructor(private readonly env: RootDatabase) {
    this.settings = env.openDB<Partial<RetentionPolicy>, string>({name: 'namespace-settings'})
    this.names = env.openDB<unknown, string>({name: 'namespaces'})
    this.encryptions = env.openDB<EncryptionSetting, string>({name: 'namespace-encryption'})
    this.quotas = env.openDB<number, string>({name: 'namespace-quota'})
  }

  async retention(namespace: string): Promise<RetentionPolicy> {
    return {...DEFAULT_RETENTION, ...this.settings.get(namespace)}
  }

  async setRetention(namespace: string, changes: Partial<RetentionPolicy>): Promise<RetentionPolicy> {
    checkNamespace(namespace)
    const given: Partial<RetentionPolicy> = {}
    if (changes.keepDays !== undefined) given.keepDays = checkDays('keepDays', changes.keepDays)
    if (changes.thinDays !== undefined) given.thinDays = checkDays('thinDays', changes.thinDays)
    await durableTransaction(this.env, () => {
      if (this.names.get(namespace) === undefined)
        throw new NotFoundError(`no namespace ${namespace} (a token makes one: sync-server token create)`, {namespace})
      this.settings.putSync(namespace, {...this.settings.get(namespace), ...given})
    })
    return this.retention(namespace)
  }

  async encryption(namespace: string): Promise<EncryptionSetting | undefined> {
    return this.encryptions.get(namespace)
  }

  async setEncryption(namespace: string, setting: EncryptionSetting): Promise<EncryptionSetting> {
    checkNamespace(namespace)
    await durableTransaction(this.env, () => {
      if (this.names.get(namespace) === undefined) throw new NotFoundError(`no namespace ${namespace}`, {namespace})
      if (this.encryptions.get(namespace) === undefined) this.encryptions.putSync(namespace, setting)
    })
    return this.encryptions.get(namespace)!
  }

  async quota(namespace: string): Promise<number | undefined> {
    return this.quotas.get(namespace)
  }

  async setQuota(namespace: string, bytes: number | null): Promise<number | undefined> {
    checkNamespace(namespace)
    if (bytes !== null) checkQuota(bytes)
    await durableTransaction(this.env, () => {
      if (this.names.get(namespace) === undefined)
        throw new NotFoundError(`no namespace ${namespace} (a token makes one: sync-server token create)`, {namespace})
      if (bytes === null) this.quotas.removeSync(namespace)
      else this.quotas.putSync(namespace, bytes)
    })
    return this.quota(namespace)
  }
}
