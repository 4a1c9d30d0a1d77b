import {Flags} from '@oclif/core'
import {SyncCommand} from '../../cli/base-command.js'
import {InvalidInputError} from '#src/errors/index.js'
import type {CarriedKept} from '#src/folder/carry-kept-versions.js'
import {changeConfig} from '#src/folder/change-config.js'
import {warnAboutServer} from '../../cli/server-warnings.js'
import {CONFIG_KEYS, configKey, configValues, type ConfigKey, type ConfigValues} from '#src/folder/config-keys.js'
import {prose} from '../../cli/prose.js'

export default class ConfigSet extends SyncCommand {
  static override summary = "Change the folder's settings: server, namespace, token, device, delete guard, bandwidth, keep-days."
  static override description = prose(`KEY VALUE pairs, one or more, changed together. Settings: ${CONFIG_KEYS.join(', ')}.

New server settings are tried on the server first: a token or namespace it
refuses is an error (exit 9) and nothing is written; a server that cannot be
reached only warns. A folder that has synced keeps its sync state (what it
agreed on with the server) only while that stays true:
- server: another URL must serve the same journal (a moved or renamed
  server); this is checked, and another journal is refused.
- namespace: another namespace is another journal (other JIDs): refused
  unless --reset.
- --reset rebuilds the folder's sync state and keeps its files (the way
  docs/storage.md describes): the next pass meets the server's files anew.
  Equal files are recorded, the others sent or fetched, and a file that
  differs from the server's is kept as a conflict copy. Nothing is deleted.
  The versions 'sync kept' lists stay, under their numbers.

Refused while a daemon (or a pass) syncs the folder (exit 12): stop it, set,
start it again. The file is replaced atomically.`)

  static override examples = [
    {description: 'A new token for this device (the old one was revoked):', command: '<%= config.bin %> config set token "$(cat token)"'},
    {description: 'The server moved to a new address:', command: '<%= config.bin %> config set server https://sync.example.org'},
    {description: 'Another server and its token at once:', command: '<%= config.bin %> config set server https://sync.example.org token "$(cat token)"'},
    {
      description: 'Sync with another namespace (its own token), keeping the files:',
      command: '<%= config.bin %> config set namespace notes token "$(cat notes-token)" --reset',
    },
    {description: 'Rename this device; hold deletions above 200 files:', command: '<%= config.bin %> config set device kitchen delete-guard.files 200'},
    {
      description: 'Count deletions toward the delete guard over a day instead of an hour (slow, steady deletions are held too):',
      command: '<%= config.bin %> config set delete-guard.minutes 1440',
    },
    {
      description: "Keep this device's replaced versions for 90 days instead of 30 (sync kept lists them):",
      command: '<%= config.bin %> config set keep-days 90',
    },
  ]

  static override strict = false
  static override usage = 'config set KEY VALUE [KEY VALUE...] [--reset] [--json] [-C DIR]'

  static override flags = {
    reset: Flags.boolean({summary: "Rebuild the folder's sync state (keeping its files): needed to change its namespace once synced."}),
  }

  async run(): Promise<{root: string; changed: ConfigKey[]; values: ConfigValues; access?: 'ok' | 'unreachable'; reset: boolean; kept?: CarriedKept}> {
    const {argv, flags} = await this.parse(ConfigSet)
    const changes = keyValues(argv as string[])
    const change = await changeConfig(this.startDir(flags), changes, {reset: flags.reset})
    if (change.access) warnAboutServer(change.config.server!.url, change.access)
    const values = configValues(change.config)
    for (const key of changes.keys()) this.log(`${key}=${values[key]}`)
    if (change.reset) this.log(`rebuilt the sync state of ${change.root} (the files stay): the next 'sync once' or 'sync daemon' syncs them anew`)
    if (change.kept) reportKept(change.kept, (line) => this.log(line))
    const {root, access, reset, kept} = change
    return {root, changed: [...changes.keys()], values, ...(access ? {access} : {}), reset, ...(kept ? {kept} : {})}
  }
}

function reportKept({carried, unreadable}: CarriedKept, log: (line: string) => void): void {
  if (carried > 0) log(`the ${carried} version${carried === 1 ? '' : 's'} kept on this device stay${carried === 1 ? 's' : ''} ('sync kept')`)
  for (const {id, path, why} of unreadable) process.stderr.write(`warning: kept version ${id} of ${path} could not be read, and is not kept: ${why}\n`)
}

function keyValues(argv: string[]): Map<ConfigKey, string> {
  if (argv.length === 0 || argv.length % 2 !== 0) throw new InvalidInputError('give KEY VALUE pairs: sync config set KEY VALUE [KEY VALUE...]')
  const changes = new Map<ConfigKey, string>()
  for (let i = 0; i < argv.length; i += 2) {
    const key = configKey(argv[i])
    if (changes.has(key)) throw new InvalidInputError(`${key} is given twice`)
    changes.set(key, argv[i + 1])
  }
  return changes
}
