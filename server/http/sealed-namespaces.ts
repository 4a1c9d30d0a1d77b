/**
 * Which namespaces are end-to-end encrypted, checked on every request for a namespace's data (authorize.ts): an
 * encrypted namespace answers only clients that seal (User-Agent `sealed`: src/journal/user-agent.ts), so that a
 * client that does not know encryption (an older one, or a plain folder) never takes sealed names for plain ones
 * nor writes plaintext there; a plain namespace answers only clients that do not seal, so that its devices never
 * meet sealed names. `ctx.state.encrypted` tells the routes which it is.
 *
 * A setting is never removed: once seen it is kept here for good. That a namespace is plain is kept for a few
 * seconds only (another instance may set it meanwhile; it can only be set while the namespace is empty).
 */
import type {Context} from 'koa'
import {EncryptionMismatchError} from '#src/errors/index.js'
import type {EncryptionSetting} from '#src/protocol/encryption-setting.js'
import type {SettingsStorage} from '../storage/types.js'

const PLAIN_KEPT_MS = 2000

export class SealedNamespaces {
  private readonly known = new Map<string, {setting?: EncryptionSetting; until: number}>()

  constructor(
    private readonly settings: SettingsStorage,
    private readonly now: () => number = Date.now,
  ) {}

  async setting(namespace: string): Promise<EncryptionSetting | undefined> {
    const known = this.known.get(namespace)
    if (known && known.until > this.now()) return known.setting
    const setting = await this.settings.encryption(namespace)
    this.known.set(namespace, setting ? {setting, until: Infinity} : {until: this.now() + PLAIN_KEPT_MS})
    return setting
  }

  remember(namespace: string, setting: EncryptionSetting): void {
    this.known.set(namespace, {setting, until: Infinity})
  }

  /** Refuses a client that disagrees with the namespace on encryption. */
  async check(ctx: Context, namespace: string): Promise<void> {
    const encrypted = (await this.setting(namespace)) !== undefined
    ctx.state.encrypted = encrypted
    const name = JSON.stringify(namespace)
    if (encrypted && ctx.state.sealed !== true) {
      throw new EncryptionMismatchError(`namespace ${name} is end-to-end encrypted: join it with 'sync init --encrypt' (with a sync that knows encryption)`, {
        encrypted: true,
      })
    }
    if (!encrypted && ctx.state.sealed === true) {
      throw new EncryptionMismatchError(`namespace ${name} is not encrypted, and this folder seals what it sends: its other devices could not read it`, {
        encrypted: false,
      })
    }
  }
}
