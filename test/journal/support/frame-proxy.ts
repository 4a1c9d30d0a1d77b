/**
 * A TCP relay in front of an HTTP/2 server that reads the frames crossing it both ways (RFC 9113, 4.1: a 9-byte
 * header, then the payload; the client's 24-byte preface first): what a test of the wire's cost looks at.
 */
import net from 'node:net'
import type {ExecutionContext} from 'ava'

export interface Frame {
  /** 'up': client to server; 'down': server to client. */
  direction: 'up' | 'down'
  type: number
  flags: number
  stream: number
  payload: Buffer
}

export const FRAME = {DATA: 0, HEADERS: 1, SETTINGS: 4, WINDOW_UPDATE: 8} as const
export const FLAG = {END_STREAM: 0x1, ACK: 0x1} as const

const PREFACE_BYTES = 24

function frameReader(direction: Frame['direction'], frames: Frame[]): (data: Buffer) => void {
  let pending = Buffer.alloc(0)
  let preface = direction === 'up' ? PREFACE_BYTES : 0
  return (data) => {
    pending = Buffer.concat([pending, data])
    const skipped = Math.min(preface, pending.length)
    pending = pending.subarray(skipped)
    preface -= skipped
    while (pending.length >= 9 && pending.length >= 9 + pending.readUIntBE(0, 3)) {
      const length = pending.readUIntBE(0, 3)
      frames.push({direction, type: pending[3], flags: pending[4], stream: pending.readUInt32BE(5) & 0x7fffffff, payload: pending.subarray(9, 9 + length)})
      pending = pending.subarray(9 + length)
    }
  }
}

/** Relays to `target` (a URL); `frames` holds every frame seen so far, in the order each direction saw them. */
export async function frameProxy(t: ExecutionContext, target: string): Promise<{url: string; frames: Frame[]}> {
  const {hostname, port} = new URL(target)
  const frames: Frame[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect({host: hostname, port: Number(port)})
    const [up, down] = [frameReader('up', frames), frameReader('down', frames)]
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
      socket.on('error', () => (client.destroy(), upstream.destroy()))
    }
    client.on('data', (data: Buffer) => (up(data), upstream.write(data)))
    upstream.on('data', (data: Buffer) => (down(data), client.write(data)))
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    server.close()
  })
  return {url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, frames}
}

/** The SETTINGS a frame carries, by identifier (4: SETTINGS_INITIAL_WINDOW_SIZE). */
export function settingsOf(frame: Frame): Map<number, number> {
  const settings = new Map<number, number>()
  for (let at = 0; at + 6 <= frame.payload.length; at += 6) settings.set(frame.payload.readUInt16BE(at), frame.payload.readUInt32BE(at + 2))
  return settings
}
