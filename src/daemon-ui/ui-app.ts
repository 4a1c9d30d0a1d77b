/**
 * The daemon's web page as a Koa app (start-daemon-ui.ts listens): the guard (ui-guard.ts) first, then the page
 * and its JSON routes. Reads come from disk and the saved state (ui-state.ts, conflict-view.ts). Changes go
 * where a command's go: pause and resume through `.sync/paused` (src/folder/pause.ts), which the daemon
 * watches; settling a conflict as a request the daemon carries out between two passes
 * (src/folder/daemon-requests.ts, src/sync/settle-conflict.ts), so nothing races a pass.
 */
import Router from '@koa/router'
import Koa, {type Context} from 'koa'
import {z} from 'zod'
import {InvalidInputError, isSyncError, statusFor} from '../errors/index.js'
import {askDaemon} from '../folder/daemon-requests.js'
import {pauseFolder, resumeFolder} from '../folder/pause.js'
import type {SyncFolder} from '../folder/sync-folder.js'
import type {DaemonActivity} from '../sync/daemon-status.js'
import type {FolderRequest} from '../sync/folder-requests.js'
import {KEEPS, type Keep} from '../sync/settle-conflict.js'
import {logger} from '../util/logger.js'
import {readLimited} from '../util/read-limited.js'
import type {ActivityLog} from './activity-log.js'
import {conflictView} from './conflict-view.js'
import {uiGuard} from './ui-guard.js'
import {UI_PAGE} from './ui-page.js'
import {uiState} from './ui-state.js'

const log = logger('daemon-ui')

/** A settle runs up to three passes in the daemon: wait this long for its answer. */
const SETTLE_TIMEOUT_MS = 120_000

export interface UiAppOptions {
  folder: SyncFolder
  activity: ActivityLog
  /** What the daemon is doing now. */
  daemon: () => DaemonActivity | undefined
  key: string
  port: number
  /** The Host headers the page answers to (ui-address.ts). */
  hosts: readonly string[]
}

const settleBody = z.object({copy: z.string(), keep: z.enum(KEEPS as [Keep, ...Keep[]])})

function sendJson(ctx: Context, value: unknown, status = 200): void {
  ctx.status = status
  ctx.type = 'application/json'
  ctx.set('Cache-Control', 'no-store')
  ctx.body = JSON.stringify(value)
}

async function readBody(ctx: Context): Promise<unknown> {
  try {
    return JSON.parse((await readLimited(ctx.req, 16 * 1024, 'a request body')).toString('utf8'))
  } catch (error) {
    if (isSyncError(error)) throw error
    throw new InvalidInputError(`the body is not JSON: ${(error as Error).message}`)
  }
}

export function createUiApp(options: UiAppOptions): Koa {
  const {folder, activity} = options
  const app = new Koa()
  app.silent = true
  app.use(async (ctx, next) => {
    try {
      await next()
    } catch (error) {
      const code = isSyncError(error) ? error.code : 'E_UNEXPECTED'
      if (!isSyncError(error)) log('unexpected: %O', error)
      sendJson(ctx, {error: {code, message: (error as Error).message}}, isSyncError(error) ? statusFor(code) : 500)
    }
  })
  app.use(uiGuard(options.key, options.port, options.hosts))
  const router = new Router()
  router.get('/', (ctx) => {
    ctx.type = 'text/html; charset=utf-8'
    ctx.set('Content-Security-Policy', UI_PAGE.csp)
    ctx.set('Cache-Control', 'no-store')
    ctx.set('X-Content-Type-Options', 'nosniff')
    ctx.body = UI_PAGE.html
  })
  router.get('/api/state', async (ctx) => sendJson(ctx, await uiState(folder, options.daemon(), activity)))
  router.get('/api/conflict', async (ctx) => {
    const copy = ctx.query.copy
    if (typeof copy !== 'string') throw new InvalidInputError('?copy=PATH names the conflict copy')
    sendJson(ctx, await conflictView(folder.root, copy, folder.kindRules))
  })
  router.post('/api/pause', async (ctx) => sendJson(ctx, {paused: true, since: await pauseFolder(folder.layout)}))
  router.post('/api/resume', async (ctx) => sendJson(ctx, {paused: false, changed: await resumeFolder(folder.layout)}))
  router.post('/api/settle', async (ctx) => {
    const parsed = settleBody.safeParse(await readBody(ctx))
    if (!parsed.success) throw new InvalidInputError(`settle takes {"copy": PATH, "keep": "mine" | "theirs" | "both"}: ${parsed.error.message}`)
    const request: FolderRequest = {type: 'settle-conflict', ...parsed.data}
    const answer = await askDaemon(folder.layout, request, {pid: process.pid, timeoutMs: SETTLE_TIMEOUT_MS})
    // This process is the daemon: it cannot be gone while it answers.
    sendJson(ctx, answer === 'gone' ? {} : answer.result)
  })
  app.use(router.routes())
  app.use(router.allowedMethods())
  return app
}
