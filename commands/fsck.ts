import {Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {prose} from '../cli/prose.js'
import {describeKeptLoss, describeRepair} from '../cli/describe-repair.js'
import {EXIT} from '#src/errors/index.js'
import {fsckStore, type FsckReport} from '#src/store/fsck.js'
import {repairFolder, type RepairReport} from '#src/sync/repair-folder.js'
import {withSyncer} from '#src/sync/with-syncer.js'

export default class Fsck extends SyncCommand {
  static override summary = 'Check every stored chunk against its id and report damage; --repair drops the damage.'
  static override description =
    prose(`Reads every block of every pack, checks its structure and hashes every chunk. Changes nothing unless --repair. Exit 6 when anything is damaged (and not repaired).

A damaged store (a pack cut short in a copy of the folder taken while a daemon wrote to it, a flipped bit on disk) fails every sync that reads the damaged chunks. The store is a cache of what the server and your files hold: --repair takes the damaged chunks out of it, fetches them from the server again, and marks the files that hold them to be read again by the next sync. Your files are not touched. Versions kept here (sync kept) whose chunks neither the store nor the server still has are reported: they can no longer be restored.

--repair syncs nothing itself, and waits for no daemon: stop a daemon syncing the folder first. A daemon, and sync once, repair the folder by themselves when a pass fails on such damage.`)

  static override examples = [
    {description: 'Check the store of the current folder:', command: '<%= config.bin %> fsck'},
    {description: 'Drop what is damaged, then sync:', command: '<%= config.bin %> fsck --repair && <%= config.bin %> once'},
  ]

  static override flags = {
    repair: Flags.boolean({summary: 'Drop damaged chunks, fetch them from the server again, and have the next sync read their files again.', default: false}),
  }

  async run(): Promise<FsckReport | RepairReport> {
    const {flags} = await this.parse(Fsck)
    if (flags.repair) return this.repair(flags)
    const report = await this.withFolder(flags, (folder) => fsckStore(folder.store))
    this.listDamage(report)
    this.log(`${report.chunks} chunks in ${report.blocks} blocks in ${report.packs} packs checked, ${report.damaged.length} damaged`)
    if (report.damaged.length > 0) process.exitCode = EXIT.corrupt
    return report
  }

  private async repair(flags: {dir?: string}): Promise<RepairReport> {
    const report = await withSyncer(this.startDir(flags), {}, (syncer) => repairFolder(syncer))
    this.listDamage(report)
    this.log(describeRepair(report))
    if (report.dropped === 0) return report
    for (const path of report.reread) this.log(`to read again: ${path}`)
    const keptLoss = describeKeptLoss(report)
    if (keptLoss) this.log(keptLoss)
    this.log(`the next sync reads ${report.reread.length} files again${report.fetchError === undefined ? '' : ' and fetches what it needs'}`)
    return report
  }

  private listDamage(report: {damaged: FsckReport['damaged']}): void {
    for (const damage of report.damaged) this.log(`damaged ${damage.id} in pack ${damage.pack}: ${damage.reason}`)
  }
}
