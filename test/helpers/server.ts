/** A real sync-server in this process, on an ephemeral loopback port, with its data in a temp folder (helpers/test-storage.ts). */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {ExecutionContext} from 'ava'
import {type AppOptions, createApp, type ServerStorage} from '#server/index.js'
import {openTestStorage} from './test-storage.js'

export interface TestServer {
  url: string
  dataDir: string
  storage: ServerStorage
  token(namespace?: string, readOnly?: boolean): Promise<string>
  /** Stops answering (connections refused) until `start` again: the server is "down". */
  stop(): Promise<void>
  start(): Promise<void>
}

export async function startTestServer(t: ExecutionContext, options: AppOptions = {}): Promise<TestServer> {
  const {dir: dataDir, storage} = await openTestStorage(t)
  const {app, drain, settled, flush} = createApp(storage, options)
  let server: Server | undefined
  let port = 0
  const start = async () => {
    server = createServer(app.callback())
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  }
  const stop = async () => {
    if (!server) return
    drain()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server!.close(() => resolve()))
    server = undefined
  }
  await start()
  t.teardown(async () => {
    await stop()
    await settled()
    await flush()
    await storage.close()
  })
  return {
    get url() {
      return `http://127.0.0.1:${port}`
    },
    dataDir,
    storage,
    token: async (namespace = 'recipes', readOnly = false) => (await storage.tokens.create({rights: readOnly ? 'read-only' : 'read-write', namespace})).token,
    stop,
    start,
  }
}
