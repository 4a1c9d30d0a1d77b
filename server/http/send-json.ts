/** JSON answers with the fewest header bytes: `Content-Type: application/json`, no charset parameter (JSON is UTF-8). */
import type {Context} from 'koa'

export function sendJson(ctx: Context, value: unknown, status = 200): void {
  ctx.status = status
  ctx.set('Content-Type', 'application/json')
  ctx.body = JSON.stringify(value)
}
