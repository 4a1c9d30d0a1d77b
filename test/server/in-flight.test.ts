/** Shutting down: storage closes only once every request in flight has settled, also one whose client went away. */
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import test from 'ava'
import {createApp} from '#server/index.js'
import {openTestStorage} from '../helpers/test-storage.js'
import {waitFor} from '../helpers/wait-for.js'

test('a long-poll counts as in flight until answered, also after its client went away; storage then closes cleanly', async (t) => {
  const {storage} = await openTestStorage(t)
  const notices: string[] = []
  const {app, waiters, drain, settled, flush} = createApp(storage, {onNotice: (message) => notices.push(message)})
  const errors: Error[] = []
  app.on('error', (error: Error) => errors.push(error))
  const server = http.createServer(app.callback())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  const {token} = await storage.tokens.create({rights: 'read-write', namespace: 'recipes'})
  const poll = http.get(`http://127.0.0.1:${port}/v1/ns/recipes/changes?since=0&wait=30&inline=262144`, {headers: {Authorization: `Bearer ${token}`}})
  poll.on('error', () => {})
  await waitFor('the long-poll to wait', () => waiters.count === 1)
  let done = false
  const settling = settled().then(() => (done = true))
  await new Promise((resolve) => setImmediate(resolve))
  t.false(done, 'settled while a long-poll waits')
  // The client goes away as the server shuts down (a daemon stopped with it): its connection closes first.
  poll.destroy()
  drain()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await settling
  await flush()
  await storage.close()
  t.deepEqual(errors, [])
  t.deepEqual(notices, [])
})
