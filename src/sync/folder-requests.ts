/**
 * What a command (or the daemon's web page) may hand to the daemon holding its folder (src/folder/daemon-requests.ts carries the files),
 * checked on arrival as any input from outside the process is, and carried out with the daemon's Syncer.
 */
import {z} from 'zod'
import {InvalidInputError} from '../errors/index.js'
import {passReport, type PassReport} from './pass-report.js'
import {restore, type RestoreResult, type RestoreTarget} from './restore.js'
import {KEEPS, type Keep, settleConflict, type SettleResult} from './settle-conflict.js'
import type {Syncer} from './syncer.js'

/** `pass`: a whole pass now, as `sync once` would run it (the folder scanned, the journal read), for `sync once`. */
export type FolderRequest = {type: 'restore'; target: RestoreTarget} | {type: 'settle-conflict'; copy: string; keep: Keep} | {type: 'pass'}

/** What carrying out a request of that kind returns. */
export type RequestResult<Q extends FolderRequest> = Q extends {type: 'restore'} ? RestoreResult : Q extends {type: 'pass'} ? PassReport : SettleResult

const jid = z.number().int().nonnegative()
const requestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('restore'),
    target: z.discriminatedUnion('kind', [
      z.object({kind: z.literal('file'), path: z.string(), jid}),
      z.object({kind: z.literal('folder'), prefix: z.string(), jid}),
      z.object({kind: z.literal('deleted-since'), since: jid, prefix: z.string()}),
      z.object({kind: z.literal('kept'), id: z.number().int().positive()}),
    ]),
  }),
  z.object({type: z.literal('settle-conflict'), copy: z.string(), keep: z.enum(KEEPS as [Keep, ...Keep[]])}),
  z.object({type: z.literal('pass')}),
])

export async function carryOut(syncer: Syncer, request: unknown): Promise<RestoreResult | SettleResult | PassReport> {
  const parsed = requestSchema.safeParse(request)
  if (!parsed.success) throw new InvalidInputError(`not a request this sync carries out: ${parsed.error.message}`)
  const wanted = parsed.data
  if (wanted.type === 'pass') {
    const report = passReport(await syncer.pass())
    // Received what it could, but may not send: the command exits 19 with the command that updates this client.
    if (syncer.outdated) throw syncer.outdated
    return report
  }
  return wanted.type === 'restore' ? restore(syncer, wanted.target) : settleConflict(syncer, wanted.copy, wanted.keep)
}
