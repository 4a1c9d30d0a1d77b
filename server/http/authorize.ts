/**
 * Bearer tokens: every route but health needs one. A namespace's token may read it (and write, unless read-only)
 * and nothing else; an admin token may read the operator's routes (/metrics) and no namespace's data. The token is
 * checked when the request arrives and again when the answer is ready: a token revoked meanwhile (during a
 * long-poll, say) gets 401, not the answer. Each accepted token's use is noted (last-used.ts). `ctx.state.token`
 * is the token, for a route that waits to watch it (revocations.ts).
 */
import type {Context, Middleware} from 'koa'
import {ForbiddenError, UnauthorizedError} from '#src/errors/index.js'
import type {LastUsed} from './last-used.js'
import type {Revocations} from './revocations.js'

/** `admin`: an operator's route; `read` and `write`: the data of the namespace in the URL (`:ns`). */
export type Access = 'admin' | 'read' | 'write'

export interface TokenChecks {
  revocations: Revocations
  lastUsed: LastUsed
}

const BEARER = /^Bearer ([\x21-\x7e]+)$/

function tokenOf(ctx: Context): string {
  const match = BEARER.exec(ctx.get('Authorization'))
  if (!match) throw new UnauthorizedError()
  return match[1]
}

const revoked = () => new UnauthorizedError('unknown or revoked token')

export function authorize({revocations, lastUsed}: TokenChecks, access: Access): Middleware {
  return async (ctx, next) => {
    const token = tokenOf(ctx)
    const grant = revocations.lookup(token)
    if (!grant) throw revoked()
    lastUsed.touch(token)
    if (access === 'admin') {
      if (grant.rights !== 'admin') throw new ForbiddenError('this route needs an admin token (sync-server token create --admin)')
    } else {
      const namespace = (ctx as Context & {params: Record<string, string>}).params.ns
      if (grant.rights === 'admin') throw new ForbiddenError("an admin token reads no namespace's data")
      if (grant.namespace !== namespace) throw new ForbiddenError(`this token is not for namespace ${JSON.stringify(namespace.slice(0, 80))}`)
      if (access === 'write' && grant.rights === 'read-only') throw new ForbiddenError('this token is read-only', {access: 'read-only'})
    }
    ctx.state.token = token
    await next()
    if (!revocations.lookup(token)) throw revoked()
  }
}
