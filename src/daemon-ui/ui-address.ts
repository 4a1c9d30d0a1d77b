/**
 * Where the daemon's web page listens (`sync daemon --ui HOST:PORT`): on a loopback address only. The page can
 * change the folder, so another machine must not reach it; other users of this one are kept out by its key
 * (ui-guard.ts). Port 0 picks a free port.
 */
import {InvalidInputError} from '../errors/index.js'
import {isLoopbackAddress} from '../util/loopback.js'

export interface UiAddress {
  host: string
  port: number
}

/** `127.0.0.1:8080`, `[::1]:0`, `localhost:8080` (as 127.0.0.1), or a bare port on 127.0.0.1. */
export function parseUiAddress(text: string): UiAddress {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(text.trim())
  if (!match) throw new InvalidInputError(`--ui takes HOST:PORT on a loopback address (127.0.0.1:8384, or 127.0.0.1:0 for any free port), not '${text}'`)
  const host = (match[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1')
  const port = Number(match[2])
  if (port > 65_535) throw new InvalidInputError(`--ui: port ${port} is over 65535`)
  const address = host.toLowerCase() === 'localhost' ? '127.0.0.1' : host
  if (!isLoopbackAddress(address))
    throw new InvalidInputError(
      `--ui listens on a loopback address only (127.0.0.1, ::1, localhost): the page can change the folder, so ${host} is refused; to reach it from another machine, forward a port over SSH (ssh -L)`,
    )
  return {host: address, port}
}

/** How a browser on this machine names the address: the hosts the page answers to (no other Host header: DNS rebinding). */
export function uiOrigins({host, port}: UiAddress): string[] {
  const hosts = host === '::1' ? ['[::1]'] : host === '127.0.0.1' ? ['127.0.0.1', 'localhost'] : [host]
  return hosts.map((name) => `${name}:${port}`)
}
