/**
 * `sync init --encrypt`: the key of an encrypted namespace, from the passphrase. An empty plain namespace is made
 * encrypted (a new salt, its key check) unless another device was first, whose setting is then the one joined; an
 * encrypted one is joined (its salt derives the key, its key check must match, else WrongPassphraseError).
 * `init` without --encrypt on an encrypted namespace is refused by the server itself (sealed-namespaces.ts).
 */
import {derivePassphraseKey, newKdfParams} from '../crypto/passphrase-key.js'
import {keyCheck, subKeys} from '../crypto/sub-keys.js'
import {InvalidInputError, WrongPassphraseError} from '../errors/index.js'
import {JournalClient} from '../journal/journal-client.js'
import type {EncryptionSetting} from '../protocol/encryption-setting.js'
import type {ServerSettings} from './config.js'

export async function joinEncryption(settings: ServerSettings, passphrase: string): Promise<{key: Buffer; created: boolean}> {
  if (settings.prefix !== undefined) throw new InvalidInputError('a sub-tree of an encrypted namespace cannot be synced on its own: sync the whole namespace')
  const client = new JournalClient(settings, {timeoutMs: 10_000})
  try {
    const current = await client.encryption()
    if (current.encrypted) return {key: await checkedKey(current, passphrase), created: false}
    const kdf = newKdfParams()
    const key = await derivePassphraseKey(passphrase, kdf)
    const kept = await client.setEncryption({encrypted: true, kdf, check: keyCheck(subKeys(key))})
    // Another device set it first: its salt is the namespace's.
    if (kept.kdf.salt !== kdf.salt) return {key: await checkedKey(kept, passphrase), created: false}
    return {key, created: true}
  } finally {
    client.close()
  }
}

async function checkedKey(setting: EncryptionSetting, passphrase: string): Promise<Buffer> {
  const key = await derivePassphraseKey(passphrase, setting.kdf)
  if (keyCheck(subKeys(key)) !== setting.check) {
    throw new WrongPassphraseError("this passphrase is not the encrypted namespace's (its key check differs): nothing was written")
  }
  return key
}
