/**
 * Bearer tokens: every route but health needs one. The token decides the namespace (it must be the one in the
 * URL) and whether the request may write.
 */
import type {Context, Middleware} from 'koa'
import {ForbiddenError, UnauthorizedError} from '../../src/errors/index.js'
import type {TokenGrant, TokenStorage} from '../storage/types.js'

export type Access = 'any' | 'read' | 'write'

const BEARER = /^Bearer ([\x21-\x7e]+)$/

function grantOf(ctx: Context, tokens: TokenStorage): TokenGrant {
  const match = BEARER.exec(ctx.get('Authorization'))
  if (!match) throw new UnauthorizedError()
  const grant = tokens.lookup(match[1])
  if (!grant) throw new UnauthorizedError('unknown or revoked token')
  return grant
}

export function authorize(tokens: TokenStorage, access: Access): Middleware {
  return async (ctx, next) => {
    const grant = grantOf(ctx, tokens)
    if (access !== 'any') {
      const namespace = (ctx as Context & {params: Record<string, string>}).params.ns
      if (grant.namespace !== namespace) throw new ForbiddenError(`this token is not for namespace ${JSON.stringify(namespace.slice(0, 80))}`)
      if (access === 'write' && grant.readOnly) throw new ForbiddenError('this token is read-only')
    }
    await next()
  }
}
