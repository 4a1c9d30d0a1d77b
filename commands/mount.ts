import {Args, Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {mountNamespace, type Mounted} from '#src/folder/mount-folder.js'
import {prose} from '../cli/prose.js'

export default class Mount extends SyncCommand {
  static override summary = 'Mount another namespace, or a sub-tree of one, at a folder inside this synced folder.'
  static override description = prose(`SUBDIR (new, or an empty folder) becomes a synced folder of its own, with its own token, cursor and
state, listed in this folder's settings: 'sync once' and 'sync daemon' run here sync it too, and 'sync status'
lists it. Nothing of it is ever sent into this folder's namespace. NS:PREFIX syncs only that sub-tree of NS
(remote PREFIX/x.cook is SUBDIR/x.cook): selective sync for a small device. The token is asked what it may do
first: a read-only token makes a read-only mount, which never sends anything; edits made in it are kept here
(listed by 'sync status', merged or kept as conflict copies when the namespace changes the same file). The server
defaults to this folder's. Refused while a sync process runs this folder (exit 12): stop the daemon, mount, start it.`)

  static override examples = [
    {
      description: 'The family cookbook, read-only, inside your own recipes:',
      command: '<%= config.bin %> mount family shared/family --token "$(cat family-token)"',
    },
    {
      description: 'Only the Italian recipes of a big namespace, from another server:',
      command: '<%= config.bin %> mount cookbook:recipes/italian italian --token "$(cat token)" --server https://sync.example.org',
    },
  ]

  static override args = {
    namespace: Args.string({description: 'NS, or NS:PREFIX for a sub-tree of NS.', required: true}),
    subdir: Args.string({description: 'Folder to mount into, inside this synced folder (new or empty).', required: true}),
  }

  static override flags = {
    token: Flags.string({summary: 'Token for the mounted namespace (made by sync-server token).', helpValue: 'TOKEN', required: true}),
    server: Flags.string({summary: "URL of the mounted namespace's server (default: this folder's).", helpValue: 'URL'}),
  }

  async run(): Promise<Mounted> {
    const {args, flags} = await this.parse(Mount)
    const mounted = await mountNamespace(this.startDir(flags), {namespace: args.namespace, subdir: args.subdir, token: flags.token, server: flags.server})
    const what = `${mounted.namespace}${mounted.prefix === undefined ? '' : `:${mounted.prefix}`}`
    this.log(`mounted ${what} at ${mounted.path}${mounted.rights === 'read-only' ? ' (read-only: edits made there are kept there, never sent)' : ''}`)
    return mounted
  }
}
