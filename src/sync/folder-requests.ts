/**
 * What a command may hand to the daemon holding its folder (src/folder/daemon-requests.ts carries the files),
 * checked on arrival as any input from outside the process is, and carried out with the daemon's Syncer.
 */
import {z} from 'zod'
import {InvalidInputError} from '../errors/index.js'
import {restore, type RestoreResult, type RestoreTarget} from './restore.js'
import type {Syncer} from './syncer.js'

export type FolderRequest = {type: 'restore'; target: RestoreTarget}

const jid = z.number().int().nonnegative()
const requestSchema = z.object({
  type: z.literal('restore'),
  target: z.discriminatedUnion('kind', [
    z.object({kind: z.literal('file'), path: z.string(), jid}),
    z.object({kind: z.literal('folder'), prefix: z.string(), jid}),
    z.object({kind: z.literal('deleted-since'), since: jid, prefix: z.string()}),
  ]),
})

export async function carryOut(syncer: Syncer, request: unknown): Promise<RestoreResult> {
  const parsed = requestSchema.safeParse(request)
  if (!parsed.success) throw new InvalidInputError(`not a request this sync carries out: ${parsed.error.message}`)
  return restore(syncer, parsed.data.target)
}
