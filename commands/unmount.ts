import {Args, Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {unmountNamespace, type Unmounted} from '#src/folder/unmount-folder.js'
import {prose} from '../cli/prose.js'

export default class Unmount extends SyncCommand {
  static override summary = "Stop syncing a mount ('sync mount'); its files stay, as plain files this folder does not sync."
  static override description = prose(`The mount's own sync state (SUBDIR/.sync) is removed and the files stay where they are. This folder then
ignores SUBDIR on this device (a line /SUBDIR/ in .sync/ignore), so they are not sent into its namespace; delete
that line to sync them here. Refused (exit 11, nothing changed) while the mount has local changes its namespace has
not taken (a read-only mount's edits are such changes): sync them first, or give --keep-changes to keep them as
plain files, never sent. Refused while a sync process runs this folder or the mount (exit 12).`)

  static override examples = [
    {description: 'Unmount the family cookbook:', command: '<%= config.bin %> unmount shared/family'},
    {description: 'Unmount, keeping edits a read-only mount could not send:', command: '<%= config.bin %> unmount shared/family --keep-changes'},
  ]

  static override args = {
    subdir: Args.string({description: 'The mounted folder.', required: true}),
  }

  static override flags = {
    'keep-changes': Flags.boolean({summary: 'Unmount although local changes were not sent: they stay as plain files, never sent.'}),
  }

  async run(): Promise<Unmounted> {
    const {args, flags} = await this.parse(Unmount)
    const done = await unmountNamespace(this.startDir(flags), args.subdir, {keepChanges: flags['keep-changes']})
    const kept = done.keptChanges.length > 0 ? `; ${done.keptChanges.length} local changes were never sent` : ''
    this.log(`unmounted ${done.path}: its files stay, ignored by this folder (${done.ignoreRule} in .sync/ignore)${kept}`)
    return done
  }
}
