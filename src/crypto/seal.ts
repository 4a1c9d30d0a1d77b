/**
 * Deterministic AEAD (AES-256-GCM): the nonce is HMAC-SHA256(nonce key, plaintext) cut to 12 bytes, so equal
 * plaintexts seal to equal bytes (chunks dedup within the namespace) and a nonce never repeats for two different
 * plaintexts under one key. The AAD names the use (`chunk`, `name`, `target`): bytes sealed for one use do not open
 * as another. Sealed form: nonce (12) | ciphertext of the padded plaintext | tag (16).
 */
import {createCipheriv, createDecipheriv, createHmac} from 'node:crypto'
import {SealBrokenError} from '../errors/index.js'
import {pad, unpad} from './padding.js'

const NONCE_BYTES = 12
const TAG_BYTES = 16
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES

export interface SealKey {
  key: Buffer
  nonceKey: Buffer
  /** What the sealed bytes are for, bound as AAD. */
  use: string
  bucket: (length: number) => number
}

export function seal(plain: Uint8Array, how: SealKey): Buffer {
  const nonce = createHmac('sha256', how.nonceKey).update(plain).digest().subarray(0, NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', how.key, nonce)
  cipher.setAAD(Buffer.from(how.use))
  const body = Buffer.concat([cipher.update(pad(plain, how.bucket)), cipher.final()])
  return Buffer.concat([nonce, body, cipher.getAuthTag()])
}

/** The plaintext of sealed bytes; SealBrokenError (naming `what`) when they do not open: tampered, or another key. */
export function open(sealed: Uint8Array, how: SealKey, what: string): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
  if (bytes.length < SEAL_OVERHEAD + 1) throw new SealBrokenError(`${what}: too short to be sealed`)
  const decipher = createDecipheriv('aes-256-gcm', how.key, bytes.subarray(0, NONCE_BYTES))
  decipher.setAAD(Buffer.from(how.use))
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
  let padded: Buffer
  try {
    padded = Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()])
  } catch {
    throw new SealBrokenError(`${what}: it does not open with this folder's key (tampered with, or sealed with another key)`)
  }
  const plain = unpad(padded, what)
  // The nonce is a function of the plaintext: one that is not was not made by a device holding the key.
  if (!createHmac('sha256', how.nonceKey).update(plain).digest().subarray(0, NONCE_BYTES).equals(bytes.subarray(0, NONCE_BYTES))) {
    throw new SealBrokenError(`${what}: its nonce does not match its content`)
  }
  return plain
}
