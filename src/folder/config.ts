/** The folder's settings, `.sync/config.json`: readable by people, written atomically, private (it may hold a token). */
import {readFile} from 'node:fs/promises'
import os from 'node:os'
import {InvalidInputError} from '../errors/index.js'
import {writeFileAtomic} from '../util/write-file-atomic.js'

export interface ServerSettings {
  url: string
  namespace: string
  token: string
}

export interface FolderConfig {
  version: 1
  /** Names this device in the journal and in conflict copies. */
  device: string
  server?: ServerSettings
  /** Extensions chunked by line (replaces the default list when set). */
  textExtensions?: string[]
  /** Extensions always chunked as binary (replaces the default list when set). */
  binaryExtensions?: string[]
}

export function defaultDeviceName(): string {
  return os.hostname().split('.')[0] || 'device'
}

export async function readConfig(file: string): Promise<FolderConfig> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new InvalidInputError(`cannot read ${file}: ${(error as Error).message}`, {file})
  }
  const config = parsed as Partial<FolderConfig>
  if (config === null || typeof config !== 'object' || config.version !== 1 || typeof config.device !== 'string') {
    throw new InvalidInputError(`${file} is not a sync folder config (version 1)`, {file})
  }
  return config as FolderConfig
}

export async function writeConfig(file: string, config: FolderConfig): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`, {mode: 0o600})
}
