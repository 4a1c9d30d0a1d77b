/** The folder's settings, `.sync/config.json`: readable by people, written atomically, private (it may hold a token). */
import {readFile} from 'node:fs/promises'
import os from 'node:os'
import {InvalidInputError} from '../errors/index.js'
import {MIN_RATE} from '../journal/bandwidth.js'
import {validatePath} from '../paths/validate-path.js'
import type {DeleteGuardSettings} from '../sync/delete-guard.js'
import type {FolderGcSettings} from '../sync/gc-settings.js'
import {writeFileAtomic} from '../util/write-file-atomic.js'

export interface ServerSettings {
  url: string
  namespace: string
  token: string
  /** Sync only this sub-tree of the namespace, its paths without the prefix here (src/journal/path-prefix.ts). */
  prefix?: string
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
  /**
   * The delete guard: deletions in one direction, in one pass with those carried out in the `minutes` before it,
   * are held when they are more than `files` and more than `fraction` of the files tracked
   * (src/sync/delete-guard.ts). Defaults: 50, 0.25 and 60.
   */
  deleteGuard?: Partial<DeleteGuardSettings>
  /** Garbage collection (src/sync/gc-settings.ts). Defaults: above 64 MB, a grace of 600 s. */
  gc?: Partial<FolderGcSettings>
  /**
   * Days a version made here is kept on this device after a remote change replaced or deleted it
   * (src/state/kept-versions.ts); 0 keeps none. Default 30.
   */
  keepDays?: number
  /** Bandwidth limits on chunk bodies, bytes per second (src/journal/bandwidth.ts); none by default. */
  bandwidth?: {up?: number; down?: number}
  /** Folders below this one that mount another namespace (`sync mount`; src/folder/mounts.ts), relative to the root. */
  mounts?: {path: string}[]
  /** This folder is a mount of the folder above it: the environment's server settings do not apply to it. */
  mount?: true
  /** The namespace is end-to-end encrypted: its key is in `.sync/keys.json`, never here (docs/security.md). */
  encrypted?: true
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
  const guard = config.deleteGuard
  if (guard !== undefined && (guard === null || typeof guard !== 'object' || !validGuard(guard))) {
    throw new InvalidInputError(`${file}: deleteGuard takes {"files": a whole number >= 0, "fraction": a number from 0 to 1, "minutes": a whole number >= 1}`, {
      file,
    })
  }
  const gc = config.gc
  if (gc !== undefined && (gc === null || typeof gc !== 'object' || !validGc(gc))) {
    throw new InvalidInputError(`${file}: gc takes {"aboveMB": a number >= 1, "graceSeconds": a whole number >= 0}`, {file})
  }
  const rates = config.bandwidth
  if (rates !== undefined && (rates === null || typeof rates !== 'object' || ![rates.up, rates.down].every(validRate))) {
    throw new InvalidInputError(`${file}: bandwidth takes {"up": bytes per second >= ${MIN_RATE}, "down": the same}`, {file})
  }
  if (config.keepDays !== undefined && !validKeepDays(config.keepDays)) {
    throw new InvalidInputError(`${file}: keepDays takes a whole number of days >= 0`, {file})
  }
  const mounts = config.mounts
  if (
    mounts !== undefined &&
    (!Array.isArray(mounts) || !mounts.every((m) => m !== null && typeof m === 'object' && typeof m.path === 'string' && validatePath(m.path) === undefined))
  ) {
    throw new InvalidInputError(`${file}: mounts takes [{"path": a folder's path relative to the root}]`, {file})
  }
  return config as FolderConfig
}

const validKeepDays = (days: unknown): days is number => Number.isSafeInteger(days) && (days as number) >= 0

const validRate = (rate: unknown) => rate === undefined || (Number.isSafeInteger(rate) && (rate as number) >= MIN_RATE)

function validGc(gc: Partial<FolderGcSettings>): boolean {
  const {aboveMB, graceSeconds} = gc
  return (
    (aboveMB === undefined || (typeof aboveMB === 'number' && aboveMB >= 1)) &&
    (graceSeconds === undefined || (Number.isSafeInteger(graceSeconds) && graceSeconds >= 0))
  )
}

function validGuard(guard: Partial<DeleteGuardSettings>): boolean {
  const {files, fraction, minutes} = guard
  return (
    (files === undefined || (Number.isSafeInteger(files) && files >= 0)) &&
    (fraction === undefined || (typeof fraction === 'number' && fraction >= 0 && fraction <= 1)) &&
    (minutes === undefined || (Number.isSafeInteger(minutes) && minutes >= 1))
  )
}

export async function writeConfig(file: string, config: FolderConfig): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`, {mode: 0o600})
}
