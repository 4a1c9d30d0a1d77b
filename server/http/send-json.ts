/**
 * JSON answers with the fewest header bytes. Other programs get `Content-Type: application/json` (no charset
 * parameter: JSON is UTF-8); the sync client (its User-Agent, client-protocol.ts) gets no Content-Type at all:
 * each route answers in one format, which it knows (docs/protocol.md, HTTP), and the header cost 13 bytes of
 * every fresh connection's first answer.
 */
import type {Context} from 'koa'

export function sendJson(ctx: Context, value: unknown, status = 200): void {
  ctx.status = status
  ctx.body = JSON.stringify(value)
  // What compress-answers.ts may compress (the type header does not say it for the sync client).
  ctx.state.jsonAnswer = true
  // Set after the body: Koa types a string body as text when no type is set.
  if (ctx.state.syncClient === true) ctx.remove('Content-Type')
  else ctx.set('Content-Type', 'application/json')
}
