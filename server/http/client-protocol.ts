/**
 * What the client says it is (`User-Agent: sync/VERSION protocol/N`, src/journal/user-agent.ts), read once per
 * request (docs/protocol.md, Versions). `ctx.state.protocol` is the protocol to answer in: the client's, or this
 * server's own for another program or a client from before protocols were announced. A sync client older than
 * `latestClient` finds it in a `Sync-Latest-Client` header on every answer (none for an up-to-date one: no bytes
 * spent). A protocol below every one this server serves is refused (426) on every route but health; one it
 * serves read-only may read (without trees: journal-reads.ts) but not write (authorize.ts).
 */
import type {Context, Middleware} from 'koa'
import semver from 'semver'
import {ClientTooOldError} from '#src/errors/index.js'
import {parseUserAgent} from '#src/journal/user-agent.js'
import {PROTOCOL_VERSION, READ_ONLY_PROTOCOLS} from '#src/protocol/version.js'

export const LATEST_CLIENT_HEADER = 'Sync-Latest-Client'

const OLDEST_SERVED = Math.min(PROTOCOL_VERSION, ...READ_ONLY_PROTOCOLS)

/** The protocols this server serves, as health announces them: in full, and read-only. */
export const SERVED_PROTOCOLS = {protocols: [PROTOCOL_VERSION], readOnlyProtocols: [...READ_ONLY_PROTOCOLS]}

/** `protocol 2, and 1 read-only`: what `sync-server --version` prints. */
export function describeProtocols(): string {
  const readOnly = READ_ONLY_PROTOCOLS.length > 0 ? `, and ${READ_ONLY_PROTOCOLS.join(', ')} read-only` : ''
  return `protocol ${PROTOCOL_VERSION}${readOnly}`
}

export function clientProtocol(latestClient: string): Middleware {
  return async (ctx, next) => {
    const client = parseUserAgent(ctx.get('User-Agent') || undefined)
    ctx.state.protocol = client?.protocol ?? PROTOCOL_VERSION
    ctx.state.syncClient = client !== undefined
    ctx.state.editRefs = client?.editRefs === true
    ctx.state.lean = client?.lean === true
    ctx.state.sealed = client?.sealed === true
    ctx.state.latestClient = latestClient
    if (client && semver.valid(client.version) && semver.lt(client.version, latestClient)) ctx.set(LATEST_CLIENT_HEADER, latestClient)
    if (ctx.state.protocol < OLDEST_SERVED && ctx.path !== '/v1/health') throw tooOld(ctx, 'serves none older')
    await next()
  }
}

/** Whether the client can read tree manifests (protocol 2). */
export function readsTrees(ctx: Context, treeProtocol: number): boolean {
  return (ctx.state.protocol as number) >= treeProtocol
}

/** Refuses a write of a client whose protocol this server serves read-only. */
export function refuseOldWriter(ctx: Context): void {
  if ((ctx.state.protocol as number) < PROTOCOL_VERSION) throw tooOld(ctx, 'serves it read-only', {readOnly: true})
}

/** The refusal of an old client, naming what the server serves and the newest client it knows. */
export function tooOld(ctx: Context, why: string, data: Record<string, unknown> = {}): ClientTooOldError {
  const latestClient = ctx.state.latestClient as string
  return new ClientTooOldError(`this sync speaks protocol ${ctx.state.protocol}, and the server ${why} (it speaks protocol ${PROTOCOL_VERSION})`, {
    ...SERVED_PROTOCOLS,
    latestClient,
    ...data,
  })
}
