/**
 * The settings `sync config get|set` reads and writes, by the names users type: server, namespace, token,
 * device, the delete guard's thresholds and window, the bandwidth limits, and how long replaced versions are kept. Values are parsed and checked here; a token is never shown whole.
 */
import {InvalidInputError} from '../errors/index.js'
import {parseRate} from '../journal/bandwidth.js'
import {splitNamespace} from '../journal/path-prefix.js'
import {DEFAULT_DELETE_GUARD} from '../sync/delete-guard.js'
import {DEFAULT_KEEP_DAYS} from '../state/kept-versions.js'
import type {FolderConfig} from './config.js'

export const CONFIG_KEYS = [
  'server',
  'namespace',
  'token',
  'device',
  'delete-guard.files',
  'delete-guard.fraction',
  'delete-guard.minutes',
  'limit-up',
  'limit-down',
  'keep-days',
] as const
export type ConfigKey = (typeof CONFIG_KEYS)[number]
export type ConfigValues = Partial<Record<ConfigKey, string | number>>

export const SERVER_KEYS: readonly ConfigKey[] = ['server', 'namespace', 'token']

export function configKey(name: string): ConfigKey {
  if ((CONFIG_KEYS as readonly string[]).includes(name)) return name as ConfigKey
  throw new InvalidInputError(`no setting ${JSON.stringify(name)}: the settings are ${CONFIG_KEYS.join(', ')}`)
}

/** A token as `get` shows it: its first four characters, enough to tell two apart, never the rest. */
export function maskToken(token: string): string {
  return token.length > 8 ? `${token.slice(0, 4)}…` : '…'
}

/** `NS`, or `NS:PREFIX` for a sub-tree: as `init --namespace` and `config set namespace` take it. */
const namespaceOf = ({namespace, prefix}: {namespace: string; prefix?: string}) => (prefix === undefined ? namespace : `${namespace}:${prefix}`)

/** The settings' values (the delete guard's defaults when unset), the token masked. */
export function configValues(config: FolderConfig): ConfigValues {
  const guard = {...DEFAULT_DELETE_GUARD, ...config.deleteGuard}
  return {
    ...(config.server ? {server: config.server.url, namespace: namespaceOf(config.server), token: maskToken(config.server.token)} : {}),
    device: config.device,
    'delete-guard.files': guard.files,
    'delete-guard.fraction': guard.fraction,
    'delete-guard.minutes': guard.minutes,
    'limit-up': config.bandwidth?.up ?? 'off',
    'limit-down': config.bandwidth?.down ?? 'off',
    'keep-days': config.keepDays ?? DEFAULT_KEEP_DAYS,
  }
}

/** The config with one bandwidth limit set (bytes per second) or taken away (`off`). */
function withRate(config: FolderConfig, direction: 'up' | 'down', value: string): void {
  const rates = {...config.bandwidth, [direction]: parseRate(value)}
  if (rates[direction] === undefined) delete rates[direction]
  if (rates.up === undefined && rates.down === undefined) delete config.bandwidth
  else config.bandwidth = rates
}

function wholeNumber(key: ConfigKey, value: string, least: number): number {
  const number = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < least)
    throw new InvalidInputError(`${key} takes a whole number >= ${least}, not ${JSON.stringify(value)}`)
  return number
}

const DEVICE = /^[^/\\\x00-\x1f\x7f]{1,64}$/

/**
 * The config with `changes` made, each value checked. Server settings come as a whole: a folder without any
 * needs all three at once. (Whether the server takes them is for the caller to ask.)
 */
export function withChanges(config: FolderConfig, changes: Map<ConfigKey, string>): FolderConfig {
  const next: FolderConfig = {...config, deleteGuard: config.deleteGuard && {...config.deleteGuard}}
  if (!next.deleteGuard) delete next.deleteGuard
  const server = {...config.server}
  for (const [key, value] of changes) {
    if (key === 'server') server.url = value
    else if (key === 'namespace') Object.assign(server, {prefix: undefined}, splitNamespace(value))
    else if (key === 'token') server.token = value
    else if (key === 'device') {
      if (!DEVICE.test(value.trim()) || value.trim() !== value)
        throw new InvalidInputError('a device name is 1-64 characters, no "/", "\\" or control characters, no spaces around')
      next.device = value
    } else if (key === 'limit-up' || key === 'limit-down') withRate(next, key === 'limit-up' ? 'up' : 'down', value)
    else if (key === 'delete-guard.files') next.deleteGuard = {...next.deleteGuard, files: wholeNumber(key, value, 0)}
    else if (key === 'keep-days') next.keepDays = wholeNumber(key, value, 0)
    else if (key === 'delete-guard.minutes') next.deleteGuard = {...next.deleteGuard, minutes: wholeNumber(key, value, 1)}
    else {
      const fraction = Number(value)
      if (value.trim() === '' || !(fraction >= 0 && fraction <= 1))
        throw new InvalidInputError(`delete-guard.fraction takes a number from 0 to 1, not ${JSON.stringify(value)}`)
      next.deleteGuard = {...next.deleteGuard, fraction}
    }
  }
  if (SERVER_KEYS.some((key) => changes.has(key))) {
    const {url, namespace, token, prefix} = server
    if (url === undefined || namespace === undefined || token === undefined)
      throw new InvalidInputError('this folder has no server yet: set server, namespace and token together')
    next.server = {url, namespace, token, ...(prefix === undefined ? {} : {prefix})}
  }
  return next
}
