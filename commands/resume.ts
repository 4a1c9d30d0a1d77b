import {SyncCommand} from '../cli/base-command.js'
import {type PauseResult, setPaused} from '../cli/set-paused.js'
import {prose} from '../cli/prose.js'

export default class Resume extends SyncCommand {
  static override summary = 'Sync this folder again after sync pause.'
  static override description = prose(`A running daemon rescans the folder and catches up at once: what changed here and on the server while it
was paused is synced. Without a daemon, the next 'sync once' or 'sync daemon' syncs it.`)

  static override examples = [
    {description: 'Resume the current folder:', command: '<%= config.bin %> resume'},
    {description: 'Another folder, as JSON:', command: '<%= config.bin %> resume -C ~/Recipes --json'},
  ]

  async run(): Promise<PauseResult> {
    const {flags} = await this.parse(Resume)
    const result = await setPaused(this.startDir(flags), false)
    this.log(result.changed ? `resumed ${result.root}` : `${result.root} was not paused`)
    if (result.daemon && !result.daemon.following)
      process.stderr.write(`warning: the daemon (pid ${result.daemon.pid}) has not said it resumed yet; 'sync status' shows when it does\n`)
    return result
  }
}
