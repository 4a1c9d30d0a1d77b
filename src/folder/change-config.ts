/**
 * `sync config set`: changes a folder's settings, checked first and written atomically, with the folder's lock
 * held (refused while a daemon or a pass syncs the folder: they read the settings when they start).
 *
 * New server settings are tried on the server before anything is written: a token or namespace it refuses
 * throws its typed error (exit 9). A server that cannot be reached is no reason to refuse a new token; but a
 * folder that has synced is pointed at another server URL only once that server shows it has the same journal,
 * and at another namespace (another journal: other JIDs) only with `reset`, which rebuilds the sync state and
 * keeps the files (reset-state.ts). That way no cursor or base ever names a change of another journal.
 */
import {InvalidInputError, NetworkError} from '../errors/index.js'
import {JournalClient} from '../journal/journal-client.js'
import {hasSynced, journalDiffers} from '../sync/same-journal.js'
import type {CarriedKept} from './carry-kept-versions.js'
import {type FolderConfig, writeConfig} from './config.js'
import {type ConfigKey, SERVER_KEYS, withChanges} from './config-keys.js'
import {lockFolder} from './folder-lock.js'
import {resetSyncState} from './reset-state.js'
import {checkServerSettings} from './server-settings.js'
import {SyncFolder} from './sync-folder.js'
import {verifyAccess} from './verify-access.js'

export interface ConfigChange {
  root: string
  config: FolderConfig
  /** Whether the server answered when the new settings were tried ('unreachable': kept all the same). */
  access?: 'ok' | 'unreachable'
  /** The sync state was rebuilt (`reset`). */
  reset: boolean
  /** With `reset`: the versions kept on this device, carried into the new state. */
  kept?: CarriedKept
}

export async function changeConfig(startDir: string, changes: Map<ConfigKey, string>, options: {reset?: boolean} = {}): Promise<ConfigChange> {
  const folder = await SyncFolder.open(startDir)
  const {layout} = folder
  const lock = await lockFolder(layout.syncDir, layout.root).catch(async (error: unknown) => {
    await folder.close()
    throw error
  })
  try {
    let change: ConfigChange
    try {
      change = await checkChange(folder, changes, options.reset === true)
    } finally {
      await folder.close()
    }
    if (!change.reset) {
      await writeConfig(layout.config, change.config)
      return change
    }
    return {...change, kept: await resetSyncState(layout, change.config)}
  } finally {
    await lock.release()
  }
}

/** The change, checked (and the new server settings tried), not written yet. */
async function checkChange(folder: SyncFolder, changes: Map<ConfigKey, string>, reset: boolean): Promise<ConfigChange> {
  const before = folder.config
  const config = withChanges(before, changes)
  const server = SERVER_KEYS.some((key) => changes.has(key)) ? checkServerSettings(config.server!) : undefined
  const access = server ? await verifyAccess(server) : undefined
  if (server && !reset && hasSynced(folder.loadState())) {
    const other = await otherJournalThan(folder, before, config, access)
    if (other) throw new InvalidInputError(`${other}: add --reset to rebuild this folder's sync state (the files stay)`)
  }
  return {root: folder.root, config, ...(access ? {access} : {}), reset}
}

/** Why `config`'s server would be another journal than the one `before` synced with, if it would. */
async function otherJournalThan(
  folder: SyncFolder,
  before: FolderConfig,
  config: FolderConfig,
  access: 'ok' | 'unreachable' | undefined,
): Promise<string | undefined> {
  const was = before.server
  const now = config.server!
  if (was && was.namespace !== now.namespace) return `namespace ${now.namespace} is another journal than ${was.namespace}, which this folder synced with`
  // Another sub-tree: every path here would stand for another path of the namespace.
  if (was && was.prefix !== now.prefix)
    return `the sub-tree ${now.prefix ?? '(the whole namespace)'} is not ${was.prefix ?? 'the whole namespace'}, which this folder synced`
  if (was && was.url === now.url) return undefined
  if (access === 'unreachable')
    throw new NetworkError(`${now.url} cannot be reached now, to check it has the journal this folder synced with; try again when it answers, or add --reset`)
  const client = new JournalClient(now, {timeoutMs: 10_000})
  try {
    const differs = await journalDiffers(folder.loadState(), client)
    return differs && `${now.url} is not the server this folder synced with (${differs})`
  } finally {
    client.close()
  }
}
