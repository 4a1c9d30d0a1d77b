/**
 * The server a folder syncs with: `.sync/config.json`'s settings, each overridden by the environment
 * (SYNC_SERVER, SYNC_NAMESPACE, SYNC_TOKEN) for every network command, except in a mount (mounts.ts): the
 * environment set for the outer folder must not point a mount at the outer folder's namespace. A sub-tree's prefix
 * is the config's only. Checked before any request is made.
 */
import {InvalidInputError} from '../errors/index.js'
import {checkNamespace} from '../paths/validate-namespace.js'
import {checkPrefix} from '../journal/path-prefix.js'
import type {FolderConfig, ServerSettings} from './config.js'
import {isLoopbackAddress} from '../util/loopback.js'

const TOKEN = /^[\x21-\x7e]{1,256}$/

export function checkServerSettings(settings: ServerSettings): ServerSettings {
  let url: URL
  try {
    url = new URL(settings.url)
  } catch {
    throw new InvalidInputError(`server URL ${JSON.stringify(settings.url)} is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidInputError(`server URL ${settings.url}: use http:// or https://`)
  checkNamespace(settings.namespace)
  if (!TOKEN.test(settings.token)) throw new InvalidInputError('the token must be 1-256 printable characters without spaces')
  if (settings.prefix !== undefined) return {...settings, prefix: checkPrefix(settings.prefix)}
  return settings
}

/**
 * Whether `url` reaches its server over plain HTTP beyond this machine (any host but loopback): the token and
 * every file then cross the network readable by anyone on the way.
 */
export function inTheClear(url: string): boolean {
  const {protocol, hostname} = new URL(url)
  const host = hostname.replace(/^\[(.*)\]$/, '$1')
  const loopback = host === 'localhost' || host.endsWith('.localhost') || isLoopbackAddress(host)
  return protocol === 'http:' && !loopback
}

export function resolveServerSettings(config: FolderConfig, given: NodeJS.ProcessEnv = process.env): ServerSettings {
  const env = config.mount ? {} : given
  const url = env.SYNC_SERVER || config.server?.url
  const namespace = env.SYNC_NAMESPACE || config.server?.namespace
  const token = env.SYNC_TOKEN || config.server?.token
  if (!url || !namespace || !token) {
    throw new InvalidInputError(
      "no server configured: run 'sync init --server URL --namespace NS --token TOKEN', or set SYNC_SERVER, SYNC_NAMESPACE and SYNC_TOKEN",
    )
  }
  const prefix = config.server?.prefix
  return checkServerSettings({url, namespace, token, ...(prefix === undefined ? {} : {prefix})})
}
