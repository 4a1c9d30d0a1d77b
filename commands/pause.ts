import {SyncCommand} from '../cli/base-command.js'
import {type PauseResult, setPaused} from '../cli/set-paused.js'
import {prose} from '../cli/prose.js'

export default class Pause extends SyncCommand {
  static override summary = 'Stop syncing this folder until sync resume (a running daemon keeps watching).'
  static override description = prose(`A running daemon finishes the change in flight, then sends and applies nothing; it keeps watching the folder,
so when resumed it catches up with everything that changed meanwhile, here and on the server. The pause is kept
in .sync/paused: it survives a restart of the daemon. While paused, 'sync status' says so, and 'sync once' and
'sync restore' refuse (exit 18; 'sync once --force' syncs once all the same).`)

  static override examples = [
    {description: 'Pause the current folder:', command: '<%= config.bin %> pause'},
    {description: 'Another folder, as JSON:', command: '<%= config.bin %> pause -C ~/Recipes --json'},
    {description: 'Sync again:', command: '<%= config.bin %> resume'},
  ]

  async run(): Promise<PauseResult> {
    const {flags} = await this.parse(Pause)
    const result = await setPaused(this.startDir(flags), true)
    const when = new Date(result.since!).toISOString()
    this.log(result.changed ? `paused ${result.root}` : `${result.root} was already paused (since ${when})`)
    if (result.daemon && !result.daemon.following)
      process.stderr.write(`warning: the daemon (pid ${result.daemon.pid}) has not said it paused yet; 'sync status' shows when it does\n`)
    return result
  }
}
