/**
 * Bearer tokens: every route but health needs one. A namespace's token may read it (and write, unless read-only)
 * and nothing else (nor write with a client of a protocol served read-only: client-protocol.ts); an admin token may read the operator's routes (/metrics) and no namespace's data. The token is
 * checked when the request arrives and again when the answer is ready: a token revoked meanwhile (during a
 * long-poll, say) gets 401, not the answer. Each accepted token's use is noted (last-used.ts). `ctx.state.token`
 * is the token, for a route that waits to watch it (revocations.ts), and `ctx.state.grant` its grant. Given
 * `devices` (the routes of a sync pass), a namespace token's request is noted as its device's, with the error it
 * was answered, if any (devices.ts).
 */
import type {Context, Middleware} from 'koa'
import type {TokenGrant} from '../storage/types.js'
import {ForbiddenError, UnauthorizedError} from '#src/errors/index.js'
import {TOKEN_HEADER} from '#src/protocol/token-header.js'
import {refuseOldWriter} from './client-protocol.js'
import type {Devices} from './devices.js'
import {describe} from './errors.js'
import type {LastUsed} from './last-used.js'
import type {Revocations} from './revocations.js'
import type {SealedNamespaces} from './sealed-namespaces.js'

/** `admin`: an operator's route; `read` and `write`: the data of the namespace in the URL (`:ns`); `any`: a valid token. */
export type Access = 'admin' | 'read' | 'write' | 'any'

export interface TokenChecks {
  revocations: Revocations
  lastUsed: LastUsed
  devices?: Devices
  /** Given, a client and a namespace that disagree on encryption are refused (every route of a namespace's data). */
  sealed?: SealedNamespaces
}

const BEARER = 'Bearer '
const TOKEN = /^[\x21-\x7e]+$/

/** The token of `Authorization: Bearer`, or over HTTP/2 of `sync-token` (src/protocol/token-header.ts); never both. */
function tokenOf(ctx: Context): string {
  const named = ctx.req.httpVersionMajor === 2 ? ctx.get(TOKEN_HEADER) : ''
  const bearer = ctx.get('Authorization')
  if (named && bearer) throw new UnauthorizedError(`give the token once: as Authorization: Bearer or as ${TOKEN_HEADER}, not both`)
  const token = named || (bearer.startsWith(BEARER) ? bearer.slice(BEARER.length) : '')
  if (!TOKEN.test(token)) throw new UnauthorizedError()
  return token
}

const revoked = () => new UnauthorizedError('unknown or revoked token')

/** Notes the request as its device's, and the error it was answered (the error middleware answers it). */
async function asDevice(devices: Devices, grant: TokenGrant, ctx: Context, work: () => Promise<void>): Promise<void> {
  devices.seen(grant, ctx)
  try {
    await work()
  } catch (error) {
    const {status, body} = describe(error)
    devices.failed(grant, {status, code: body.code, message: body.message, request: `${ctx.method} ${ctx.path}`})
    throw error
  } finally {
    // A long-poll is seen until it is answered.
    devices.seen(grant, ctx)
  }
}

export function authorize({revocations, lastUsed, devices, sealed}: TokenChecks, access: Access): Middleware {
  return async (ctx, next) => {
    const token = tokenOf(ctx)
    const grant = await revocations.lookup(token)
    if (!grant) throw revoked()
    lastUsed.touch(token)
    const checked = async () => {
      if (access === 'admin') {
        if (grant.rights !== 'admin') throw new ForbiddenError('this route needs an admin token (sync-server token create --admin)')
      } else if (access !== 'any') {
        const namespace = (ctx as Context & {params: Record<string, string>}).params.ns
        if (grant.rights === 'admin') throw new ForbiddenError("an admin token reads no namespace's data")
        if (grant.namespace !== namespace) throw new ForbiddenError(`this token is not for namespace ${JSON.stringify(namespace.slice(0, 80))}`)
        if (access === 'write' && grant.rights === 'read-only') throw new ForbiddenError('this token is read-only', {access: 'read-only'})
        if (access === 'write') refuseOldWriter(ctx)
        await sealed?.check(ctx, namespace)
      }
      ctx.state.token = token
      ctx.state.grant = grant
      await next()
      if (!(await revocations.lookup(token))) throw revoked()
    }
    await (devices ? asDevice(devices, grant, ctx, checked) : checked())
  }
}
