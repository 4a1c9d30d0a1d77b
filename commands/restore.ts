import {Args, Flags} from '@oclif/core'
import {SyncCommand} from '../src/cli/base-command.js'
import {folderPath} from '../src/cli/folder-path.js'
import {withSyncer} from '../src/cli/with-syncer.js'
import {restoreVersion} from '../src/sync/restore-version.js'

export default class Restore extends SyncCommand {
  static override summary = 'Bring an old version of a file back, as a new change (also for a deleted file).'
  static override description = `Writes version JID of PATH (see 'sync log PATH') into the folder and sends it as a new version, so the
current one stays in the history too. Local changes are synced first, so nothing unsent is overwritten.`

  static override examples = [
    {description: 'See the versions, then bring one back:', command: '<%= config.bin %> log Risotto.cook\n<%= config.bin %> restore Risotto.cook --jid 12'},
  ]

  static override args = {
    path: Args.string({description: 'File in the synced folder (relative to the current folder).', required: true, ignoreStdin: true}),
  }

  static override flags = {
    jid: Flags.integer({summary: 'The version to bring back (a JID from sync log).', required: true, min: 1}),
  }

  async run(): Promise<{path: string; restored: number; jid: number}> {
    const {args, flags} = await this.parse(Restore)
    return withSyncer(this.startDir(flags), {}, async (syncer) => {
      const path = folderPath(syncer.folder.root, args.path, this.startDir(flags))
      const {jid} = await restoreVersion(syncer, path, flags.jid)
      this.log(`restored ${path} to version ${flags.jid}, sent as jid ${jid}`)
      return {path, restored: flags.jid, jid}
    })
  }
}
