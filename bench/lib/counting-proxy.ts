/** A TCP proxy in front of the sync-server that counts every byte both ways: what "bytes on the wire" means here. */
import {createConnection, createServer, type Server, type Socket} from 'node:net'

export interface CountingProxy {
  url: string
  bytes(): number
  reset(): void
  close(): Promise<void>
}

export async function startCountingProxy(target: URL): Promise<CountingProxy> {
  let total = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = createConnection({host: target.hostname, port: Number(target.port)})
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.on('data', (data: Buffer) => {
      total += data.length
      upstream.write(data)
    })
    upstream.on('data', (data: Buffer) => {
      total += data.length
      client.write(data)
    })
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  return {
    url: `http://127.0.0.1:${port}`,
    bytes: () => total,
    reset: () => {
      total = 0
    },
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
