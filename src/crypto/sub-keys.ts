/**
 * The keys each use takes from the namespace's key (HKDF-SHA256, one `info` per use): AES-256-GCM keys for chunks
 * and for names, the HMAC keys that make their nonces (nonce = HMAC(key, plaintext), so sealing is deterministic),
 * and the key of the key check value. No key serves two uses.
 */
import {createHmac, hkdfSync} from 'node:crypto'
import {KEY_BYTES} from './passphrase-key.js'

export interface SubKeys {
  chunk: Buffer
  chunkNonce: Buffer
  name: Buffer
  nameNonce: Buffer
  check: Buffer
}

const USES = ['chunk', 'chunkNonce', 'name', 'nameNonce', 'check'] as const

export function subKeys(key: Buffer): SubKeys {
  const derive = (use: string) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `sync e2e v1 ${use}`, KEY_BYTES))
  return Object.fromEntries(USES.map((use) => [use, derive(use)])) as unknown as SubKeys
}

/** The key check value (base64): what the server keeps so that a wrong passphrase is told apart from a right one. */
export function keyCheck(keys: SubKeys): string {
  return createHmac('sha256', keys.check).update('sync key check v1').digest('base64')
}
