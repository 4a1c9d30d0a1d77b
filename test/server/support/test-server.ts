/**
 * A real server for tests: LMDB storage in a temp folder (PostgreSQL with SYNC_TEST_BACKEND=postgres) and the Koa app, called through supertest
 * (`request(server.callback)`) or listening on a loopback port for the journal client.
 */
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import type {ExecutionContext} from 'ava'
import request from 'supertest'
import {type AppOptions, createApp, type SyncServerApp} from '#server/app.js'
import type {ServerStorage} from '#server/storage/types.js'
import {openTestStorage} from '../../helpers/test-storage.js'

export interface TestServer extends SyncServerApp {
  dir: string
  storage: ServerStorage
  callback: ReturnType<SyncServerApp['app']['callback']>
  /** A new token for `namespace`. */
  token(namespace?: string, readOnly?: boolean): Promise<string>
  /** A new admin token (operator routes, no namespace's data). */
  adminToken(): Promise<string>
  /** Supertest agent with this token's Authorization header preset on each call. */
  as(token: string): TokenAgent
}

export interface TokenAgent {
  get(url: string): request.Test
  post(url: string): request.Test
}

export async function testServer(t: ExecutionContext, options: AppOptions = {}): Promise<TestServer> {
  const {dir, storage} = await openTestStorage(t)
  const app = createApp(storage, options)
  t.teardown(async () => {
    await app.flush()
    await storage.close()
  })
  const callback = app.app.callback()
  return {
    ...app,
    dir,
    storage,
    callback,
    token: async (namespace = 'home', readOnly = false) => (await storage.tokens.create({rights: readOnly ? 'read-only' : 'read-write', namespace})).token,
    adminToken: async () => (await storage.tokens.create({rights: 'admin'})).token,
    as: (token) => ({
      get: (url) => request(callback).get(url).set('Authorization', `Bearer ${token}`),
      post: (url) => request(callback).post(url).set('Authorization', `Bearer ${token}`),
    }),
  }
}

/** Serves the app on a free loopback port until the test ends; returns its URL. */
export async function listen(t: ExecutionContext, server: TestServer): Promise<string> {
  const http1 = http.createServer(server.callback)
  await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve))
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.drain()
        http1.close(() => resolve())
        http1.closeAllConnections()
      }),
  )
  return `http://127.0.0.1:${(http1.address() as AddressInfo).port}`
}

/** Supertest parser for a binary answer (a pack): the body as one Buffer. */
export function binary(res: unknown, done: (error: Error | null, body: unknown) => void): void {
  const stream = res as http.IncomingMessage
  const parts: Buffer[] = []
  stream.on('data', (part: Buffer) => parts.push(part))
  stream.on('end', () => done(null, Buffer.concat(parts)))
}
