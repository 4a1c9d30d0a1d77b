import {Args, Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {InvalidInputError} from '#src/errors/index.js'
import {initFolder} from '#src/folder/init-folder.js'
import {checkServerSettings} from '#src/folder/server-settings.js'
import {verifyAccess} from '#src/folder/verify-access.js'
import {joinEncryption} from '#src/folder/join-encryption.js'
import {readPassphrase} from '../cli/read-passphrase.js'
import {warnAboutServer} from '../cli/server-warnings.js'
import {splitNamespace} from '#src/journal/path-prefix.js'
import {prose} from '../cli/prose.js'

export default class Init extends SyncCommand {
  static override summary = 'Make a folder a synced folder (creates DIR/.sync).'
  static override description = prose(`Creates the local chunk store and settings in DIR/.sync (DIR defaults to the current folder; it is
created if it does not exist). Server settings (all three of --server, --namespace and --token) can be given
now or later; SYNC_SERVER, SYNC_NAMESPACE and SYNC_TOKEN override them for every network command. Given now,
they are checked with the server first: a token or namespace it refuses is an error (exit 9) and nothing is
written; a server that cannot be reached now is only a warning, as is plain http:// to another machine (the
token crosses the network readable: use https://). --namespace NS:PREFIX syncs only the sub-tree
PREFIX of the namespace, its paths here without the prefix (selective sync).

--encrypt makes the namespace end-to-end encrypted (it must be empty), or joins one that is: file contents, file
and folder names and link targets are sealed on this device with a key derived from a passphrase (SYNC_PASSPHRASE,
or asked), and the server never sees them nor the key (docs/security.md says what it still sees: sizes rounded up,
counts, times). The key is kept in .sync/keys.json, never sent. A lost passphrase means lost data: no one, not the
server's operator, can open the files without it. A wrong one is refused (exit 20), and an encrypted namespace
refuses devices that were not set up with --encrypt. A sub-tree (NS:PREFIX) of an encrypted namespace cannot be
synced on its own.`)

  static override examples = [
    {
      description: 'An end-to-end encrypted namespace (on the first device: it must be empty; on the others: the same passphrase):',
      command:
        'SYNC_PASSPHRASE="$(cat passphrase)" <%= config.bin %> init ~/Recipes --encrypt --server https://sync.example.org --namespace secret --token "$(cat token)"',
    },
    {description: 'Start using the current folder:', command: '<%= config.bin %> init'},
    {description: 'A new folder, named as a device:', command: '<%= config.bin %> init ~/Recipes --device laptop'},
    {
      description: 'With its server:',
      command: '<%= config.bin %> init ~/Recipes --server https://sync.example.org --namespace recipes --token "$(cat token)"',
    },
    {
      description: 'Only the Italian recipes of the namespace (remote recipes/italian/x.cook is here x.cook):',
      command: '<%= config.bin %> init ~/Italian --server https://sync.example.org --namespace recipes:recipes/italian --token "$(cat token)"',
    },
  ]

  static override args = {
    dir: Args.string({description: 'Folder to set up (default: the current folder).', ignoreStdin: true}),
  }

  static override flags = {
    device: Flags.string({summary: 'Name of this device, shown in history and conflict copies (default: the host name).'}),
    server: Flags.string({summary: 'URL of the sync server.', helpValue: 'URL'}),
    namespace: Flags.string({
      summary: 'Namespace on the server (the synced folder shared by your devices); NS:PREFIX syncs only that sub-tree of it.',
      helpValue: 'NS[:PREFIX]',
    }),
    token: Flags.string({summary: 'Token for the namespace (made by sync-server token).', helpValue: 'TOKEN'}),
    encrypt: Flags.boolean({
      summary:
        'End-to-end encrypt the namespace (or join an encrypted one), with a passphrase from SYNC_PASSPHRASE or asked; a lost passphrase means lost data.',
    }),
  }

  async run(): Promise<{root: string; device: string; encrypted: boolean; server?: {url: string; namespace: string; prefix?: string}}> {
    const {args, flags} = await this.parse(Init)
    const {server: url, namespace, token} = flags
    const given = [url, namespace, token].filter((value) => value !== undefined).length
    if (given !== 0 && given !== 3) throw new InvalidInputError('give all three of --server, --namespace and --token, or none')
    const server =
      url !== undefined && namespace !== undefined && token !== undefined ? checkServerSettings({url, ...splitNamespace(namespace), token}) : undefined
    if (flags.encrypt && !server) throw new InvalidInputError('--encrypt needs the server: give --server, --namespace and --token')
    // A refused token or namespace (or passphrase) stops here, before anything is written.
    const joined = flags.encrypt ? await joinEncryption(server!, await readPassphrase()) : undefined
    const access = server && !joined ? await verifyAccess(server) : undefined
    const {root, config} = await initFolder(args.dir ?? this.startDir(flags), {device: flags.device, server, key: joined?.key})
    this.log(`initialized sync folder in ${root}`)
    if (joined) this.log(joined.created ? `namespace ${server!.namespace} is now end-to-end encrypted` : `joined the encrypted namespace ${server!.namespace}`)
    if (server) warnAboutServer(server.url, access)
    const shown = config.server && {url: config.server.url, namespace: config.server.namespace, ...(config.server.prefix ? {prefix: config.server.prefix} : {})}
    return {root, device: config.device, encrypted: config.encrypted === true, ...(shown ? {server: shown} : {})}
  }
}
