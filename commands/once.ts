import {Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {runOnce, type OnceResult} from '../cli/run-once.js'
import {rateFlags, ratesOf} from '../cli/rate-flags.js'
import {prose} from '../cli/prose.js'

export default class Once extends SyncCommand {
  static override summary = 'Sync the folder with the server once: send local changes, apply remote ones, then exit.'
  static override description = prose(`One full pass: scan the folder, read the journal, merge where both sides changed, send and apply.
Exit 0 when the folder and the server agree afterwards; 11 with a message when something is left (a file that
changed during the pass, an unreadable file, a name the server refuses). For scripts and cron; 'sync daemon'
keeps syncing continuously. While a daemon syncs the folder, the pass is handed to it: it runs one
between its own and the command reports it (waiting up to --wait seconds). Shows a progress bar on a terminal for long work. A folder paused with 'sync pause'
is not synced (exit 18) unless --force.`)

  static override examples = [
    {description: 'Sync the current folder:', command: '<%= config.bin %> once'},
    {description: 'Every five minutes from cron:', command: '*/5 * * * * <%= config.bin %> once -C ~/Recipes'},
    {description: 'One pass although the folder is paused (it stays paused):', command: '<%= config.bin %> once --force'},
    {description: 'Send at most 500 KiB/s and receive at most 2 MiB/s of file contents:', command: '<%= config.bin %> once --limit-up 500k --limit-down 2M'},
  ]

  static override flags = {
    force: Flags.boolean({summary: "Sync even if the folder is paused ('sync pause'); it stays paused."}),
    wait: Flags.integer({summary: 'Seconds to wait for a running daemon to carry the pass out.', min: 1, default: 300, helpValue: 'SECONDS'}),
    ...rateFlags,
  }

  async run(): Promise<OnceResult> {
    const {flags} = await this.parse(Once)
    return runOnce(this.startDir(flags), {
      json: this.jsonEnabled(),
      log: (line) => this.log(line),
      force: flags.force,
      rates: ratesOf(flags),
      waitMs: flags.wait * 1000,
    })
  }
}
