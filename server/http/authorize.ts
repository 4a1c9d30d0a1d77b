/**
 * Bearer tokens: every route but health needs one. The token decides the namespace (it must be the one in the
 * URL) and whether the request may write. It is checked when the request arrives and again when the answer is
 * ready: a token revoked meanwhile (during a long-poll, say) gets 401, not the answer. `ctx.state.token` is the
 * token, for a route that waits to watch it (revocations.ts).
 */
import type {Context, Middleware} from 'koa'
import {ForbiddenError, UnauthorizedError} from '../../src/errors/index.js'
import type {Revocations} from './revocations.js'

export type Access = 'any' | 'read' | 'write'

const BEARER = /^Bearer ([\x21-\x7e]+)$/

function tokenOf(ctx: Context): string {
  const match = BEARER.exec(ctx.get('Authorization'))
  if (!match) throw new UnauthorizedError()
  return match[1]
}

const revoked = () => new UnauthorizedError('unknown or revoked token')

export function authorize(revocations: Revocations, access: Access): Middleware {
  return async (ctx, next) => {
    const token = tokenOf(ctx)
    const grant = revocations.lookup(token)
    if (!grant) throw revoked()
    if (access !== 'any') {
      const namespace = (ctx as Context & {params: Record<string, string>}).params.ns
      if (grant.namespace !== namespace) throw new ForbiddenError(`this token is not for namespace ${JSON.stringify(namespace.slice(0, 80))}`)
      if (access === 'write' && grant.readOnly) throw new ForbiddenError('this token is read-only', {access: 'read-only'})
    }
    ctx.state.token = token
    await next()
    if (!revocations.lookup(token)) throw revoked()
  }
}
