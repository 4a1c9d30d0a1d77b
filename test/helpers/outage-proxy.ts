/**
 * A TCP relay in front of a test server that can play an outage: while down it cuts every connection, open or
 * new, and counts the attempts, so a test can wait for a client to have tried N times (a condition, not a time).
 */
import {createConnection, createServer} from 'node:net'
import type {AddressInfo} from 'node:net'
import type {ExecutionContext} from 'ava'

export interface OutageProxy {
  url: string
  /** Connections attempted while down. */
  readonly refused: number
  down(): void
  up(): void
}

export async function startOutageProxy(t: ExecutionContext, target: string): Promise<OutageProxy> {
  const {hostname, port} = new URL(target)
  /** Cuts each open relay (both its sockets). */
  const open = new Set<() => void>()
  let isDown = false
  let refused = 0
  const server = createServer((client) => {
    if (isDown) {
      refused++
      client.destroy()
      return
    }
    const upstream = createConnection({host: hostname, port: Number(port)})
    const cut = () => {
      open.delete(cut)
      client.destroy()
      upstream.destroy()
    }
    open.add(cut)
    client.on('error', cut).on('close', cut)
    upstream.on('error', cut).on('close', cut)
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    for (const cut of open) cut()
    await new Promise((resolve) => server.close(resolve))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get refused() {
      return refused
    },
    down() {
      isDown = true
      for (const cut of open) cut()
    },
    up() {
      isDown = false
    },
  }
}
