/**
 * The body of `POST commit` (docs/protocol.md) as a schema: the client's writer is typed by it
 * (src/journal/commit-wire.ts) and the server parses every request with it (server/commits/commit-request.ts),
 * strictly: an unknown field is refused. Manifests and edits are checked further by their own readers
 * (src/manifest/wire.ts), which know what a schema cannot (ids that decode, sizes that add up).
 */
import {z} from 'zod'

const jid = z.int().positive()

export const commitItemSchema = z.strictObject({
  path: z.string(),
  base: jid.nullable(),
  from: z.strictObject({path: z.string(), base: jid}).optional(),
  manifest: z.unknown().optional(),
  edits: z.unknown().optional(),
  size: z.int().nonnegative().optional(),
  exec: z.boolean().optional(),
  deleted: z.literal(true).optional(),
})

export const commitBodySchema = z.strictObject({
  device: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[^\u0000-\u001f]*$/, 'no control characters')
    .optional(),
  client: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '1-64 characters of A-Z a-z 0-9 _ -')
    .optional(),
  items: z.array(commitItemSchema).min(1),
  inline: z.array(z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64')).optional(),
  inlineText: z.array(z.string()).optional(),
})

export type WireCommitItem = z.infer<typeof commitItemSchema>
