/**
 * A namespace's encryption setting (docs/protocol.md, Encryption): set once, while the namespace is empty, by the
 * first device of an encrypted namespace; read by every device that joins it. It holds what derives and checks the
 * key (salt, scrypt's parameters, the key check value), never the key.
 */
import {z} from 'zod'

const base64Of = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
    .refine((text) => Buffer.from(text, 'base64').length === bytes, `${bytes} bytes of base64`)

export const kdfSchema = z.strictObject({
  name: z.literal('scrypt'),
  N: z
    .int()
    .min(2 ** 14)
    .max(2 ** 20)
    .refine((n) => Number.isInteger(Math.log2(n)), 'a power of two'),
  r: z.int().min(1).max(32),
  p: z.int().min(1).max(16),
  salt: base64Of(16),
})

export const encryptionSettingSchema = z.strictObject({
  encrypted: z.literal(true),
  kdf: kdfSchema,
  /** HMAC of a constant under the key's check sub-key (src/crypto/sub-keys.ts), base64. */
  check: base64Of(32),
})

export type KdfParams = z.infer<typeof kdfSchema>
export type EncryptionSetting = z.infer<typeof encryptionSettingSchema>

/** The answer of `GET /v1/ns/NS/encryption`: the setting, or that the namespace is plain. */
export const encryptionAnswerSchema = z.union([encryptionSettingSchema, z.strictObject({encrypted: z.literal(false)})])
export type EncryptionAnswer = z.infer<typeof encryptionAnswerSchema>
