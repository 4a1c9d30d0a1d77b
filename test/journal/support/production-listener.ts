/** A real server behind the production listener (HTTP/2 and HTTP/1.1), its sessions visible to the test. */
import type {AddressInfo} from 'node:net'
import type {ExecutionContext} from 'ava'
import {dualProtocolServer} from '#server/http/dual-protocol.js'
import {testServer} from '../../server/support/test-server.js'

export async function productionListener(t: ExecutionContext) {
  const server = await testServer(t)
  const token = await server.token('home')
  const {listener, sessions} = dualProtocolServer(server.callback)
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const session of sessions) session.destroy()
    listener.close()
  })
  return {url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`, token, sessions, server}
}
