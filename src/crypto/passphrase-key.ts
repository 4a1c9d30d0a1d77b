/**
 * The namespace's key, derived from a passphrase with scrypt (node:crypto): the salt and cost parameters are the
 * namespace's encryption setting (kept by the server, readable by its tokens), so every device given the same
 * passphrase derives the same key. The passphrase itself is never stored or sent.
 */
import {randomBytes, scrypt} from 'node:crypto'
import {InvalidInputError} from '../errors/index.js'
import type {KdfParams} from '../protocol/encryption-setting.js'

/** scrypt's cost: N = 2^15, r = 8, p = 1 (about 32 MiB and 0.1 s here, once per `sync init --encrypt`). */
export function newKdfParams(): KdfParams {
  return {name: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: randomBytes(16).toString('base64')}
}

export const KEY_BYTES = 32

export function derivePassphraseKey(passphrase: string, kdf: KdfParams): Promise<Buffer> {
  if (passphrase.length === 0) throw new InvalidInputError('the passphrase is empty')
  const salt = Buffer.from(kdf.salt, 'base64')
  // scrypt needs 128 * N * r bytes: allow that, with room.
  const maxmem = 256 * kdf.N * kdf.r
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, {N: kdf.N, r: kdf.r, p: kdf.p, maxmem}, (error, key) => (error ? reject(error) : resolve(key))),
  )
}
