/**
 * Who may use the daemon's web page: a browser tab of the user who started the daemon, and no web site.
 * - Host must be the address the page listens on (a DNS-rebound name of an attacker's site is refused).
 * - The key, a random secret printed once with the page's link (`/?key=...`): that link sets it as a cookie
 *   (HttpOnly, SameSite=Strict) and redirects to `/` so it leaves the address bar; other users of the machine,
 *   who can reach a loopback port too, do not know it. Scripts send it as an `X-Sync-Key` header.
 * - A request that changes something (POST) must come from the page itself: its Origin is the page's own, or,
 *   with no Origin (not a browser), the key came in the header, which no other site can set.
 * Anything else: 403, and nothing done.
 */
import {timingSafeEqual} from 'node:crypto'
import type {Middleware} from 'koa'

/** Cookies are not kept apart by port: each page's has its port in its name, so two daemons' pages do not mix. */
export const keyCookie = (port: number) => `sync-ui-${port}`
export const KEY_HEADER = 'x-sync-key'

function sameKey(given: string | undefined, key: string): boolean {
  if (given === undefined) return false
  const a = Buffer.from(given)
  const b = Buffer.from(key)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

export function uiGuard(key: string, port: number, hosts: readonly string[]): Middleware {
  const name = keyCookie(port)
  const origins = hosts.map((host) => `http://${host}`)
  return async (ctx, next) => {
    const refuse = (why: string) => {
      ctx.status = 403
      ctx.type = 'text/plain'
      ctx.body = `403 forbidden: ${why}\n`
    }
    if (!hosts.includes(ctx.get('Host'))) return refuse('this page answers to its own address only')
    const linked = ctx.method === 'GET' && ctx.path === '/' ? (ctx.query.key as string | undefined) : undefined
    if (linked !== undefined) {
      if (!sameKey(linked, key)) return refuse('wrong key; open the link the daemon printed')
      ctx.set('Set-Cookie', `${name}=${key}; Path=/; HttpOnly; SameSite=Strict`)
      ctx.set('Cache-Control', 'no-store')
      ctx.status = 303
      ctx.redirect('/')
      return
    }
    const fromHeader = sameKey(ctx.get(KEY_HEADER) || undefined, key)
    if (!fromHeader && !sameKey(cookie(ctx.get('Cookie'), name), key)) return refuse("no key; open the link the daemon printed ('sync status' shows it)")
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      const origin = ctx.get('Origin')
      if (origin ? !origins.includes(origin) : !fromHeader) return refuse('a change must come from this page')
    }
    await next()
  }
}
