/**
 * The JSON answers of the journal routes (docs/protocol.md), as schemas: the server's writers are typed by them
 * (entry-wire.ts's WireEntry, the commit route's results) and the client reads every answer through them
 * (src/journal/read-answers.ts), so a field cannot mean one thing on one side and another on the other. Objects
 * are not strict: a later protocol may add fields an older client ignores. What a schema cannot say (paths a
 * client may write, ids that decode, `prev` before `jid`) is checked after it, in read-answers.ts. Loaded only when
 * an answer with something in it is read: not for a pass with nothing to do.
 */
import {z} from 'zod'

const jid = z.int().positive()
const cursor = z.int().nonnegative()
const chunkId = z.string().regex(/^[0-9a-f]{64}$/, 'a chunk id')
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64')

export const wireEntrySchema = z.object({
  jid,
  path: z.string(),
  prev: jid.nullable(),
  // Absent: a file (a lean answer: docs/protocol.md, Lean answers).
  kind: z.enum(['file', 'symlink', 'deleted']).optional(),
  device: z.string(),
  time: z.number(),
  from: z.string().optional(),
  size: z.int().nonnegative().optional(),
  exec: z.boolean().optional(),
  ids: base64.optional(),
  // Inserted ids as base64, or as positions among the page's inline chunks (edit refs).
  edits: z.array(z.tuple([cursor, cursor, z.union([base64, z.array(cursor)])])).optional(),
  target: z.string().optional(),
  tree: chunkId.optional(),
  depth: cursor.optional(),
  count: jid.optional(),
  /** The version is past retention: no ids, tree or target. */
  pruned: z.literal(true).optional(),
})

export type WireEntry = z.infer<typeof wireEntrySchema>

export const commitResultSchema = z.discriminatedUnion('status', [
  z.object({status: z.enum(['committed', 'unchanged']), jid: cursor, from: z.string().optional()}),
  z.object({status: z.literal('conflict'), head: z.unknown()}),
  z.object({status: z.literal('missing'), ids: z.array(chunkId)}),
])

/** A committed item's result, for a client that reads lean answers (User-Agent `lean`): its JID alone. */
const committedJid = jid

const inline = {inline: z.array(base64).optional(), inlineText: z.array(z.string()).optional()}

/** Entries stay unknown here: each is read on its own, so one a client must refuse does not sink the page. */
export const answerSchemas = {
  commit: z.object({results: z.array(z.union([committedJid, commitResultSchema]))}),
  // Lean (User-Agent `lean`): no `head` when it is `last`, no `more` (it is `last < head`).
  changes: z.object({entries: z.array(z.unknown()), last: cursor, head: cursor.optional(), more: z.boolean().optional(), ...inline}),
  entry: z.object({entry: z.unknown()}),
  log: z.object({entries: z.array(z.unknown()), more: z.boolean()}),
  heads: z.object({heads: z.array(z.unknown()), jid: cursor, more: z.boolean()}),
  missing: z.object({missing: z.array(chunkId)}),
  packs: z.object({received: cursor, stored: cursor}),
}

export type AnswerName = keyof typeof answerSchemas
export type Answer<N extends AnswerName> = z.infer<(typeof answerSchemas)[N]>
