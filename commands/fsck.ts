import {SyncCommand} from '../cli/base-command.js'
import {EXIT} from '#src/errors/index.js'
import {fsckStore, type FsckReport} from '#src/store/fsck.js'

export default class Fsck extends SyncCommand {
  static override summary = 'Check every stored chunk against its id and report damage.'
  static override description =
    'Reads every block of every pack, checks its structure and hashes every chunk. Changes nothing. Exit 6 when anything is damaged.'
  static override examples = [{description: 'Check the store of the current folder:', command: '<%= config.bin %> fsck'}]

  async run(): Promise<FsckReport> {
    const {flags} = await this.parse(Fsck)
    const report = await this.withFolder(flags, (folder) => fsckStore(folder.store))
    for (const damage of report.damaged) this.log(`damaged ${damage.id} in pack ${damage.pack}: ${damage.reason}`)
    this.log(`${report.chunks} chunks in ${report.blocks} blocks in ${report.packs} packs checked, ${report.damaged.length} damaged`)
    if (report.damaged.length > 0) process.exitCode = EXIT.corrupt
    return report
  }
}
