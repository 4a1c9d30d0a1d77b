/**
 * Starts the daemon's web page (`sync daemon --ui`): listens on the loopback address given (port 0: a free one),
 * makes its key, and writes the link for `sync status` (ui-link.ts). `close` stops it and removes the link.
 */
import {randomBytes} from 'node:crypto'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {InvalidInputError} from '../errors/index.js'
import type {SyncFolder} from '../folder/sync-folder.js'
import type {DaemonActivity} from '../sync/daemon-status.js'
import type {ActivityLog} from './activity-log.js'
import {type UiAddress, uiOrigins} from './ui-address.js'
import {createUiApp} from './ui-app.js'
import {removeUiLink, writeUiLink} from './ui-link.js'

export interface DaemonUiOptions {
  address: UiAddress
  folder: SyncFolder
  activity: ActivityLog
  daemon: () => DaemonActivity | undefined
}

export interface DaemonUi {
  /** The page's address, without the key. */
  url: string
  /** The address with the key: opening it lets this browser in. */
  link: string
  close(): Promise<void>
}

export async function startDaemonUi(options: DaemonUiOptions): Promise<DaemonUi> {
  const {address, folder} = options
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new InvalidInputError(`--ui: cannot listen on ${address.host}:${address.port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`),
      ),
    )
    server.listen(address.port, address.host, resolve)
  })
  const port = (server.address() as AddressInfo).port
  const hosts = uiOrigins({...address, port})
  const key = randomBytes(24).toString('base64url')
  server.on('request', createUiApp({...options, key, port, hosts}).callback())
  const url = `http://${hosts[0]}/`
  const link = `${url}?key=${key}`
  await writeUiLink(folder.layout, link)
  return {
    url,
    link,
    close: async () => {
      await removeUiLink(folder.layout)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
