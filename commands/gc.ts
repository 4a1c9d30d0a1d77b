import {Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {describeGc} from '../cli/describe-gc.js'
import {type FolderGcOutcome, runFolderGc} from '../cli/folder-gc.js'
import {prose} from '../cli/prose.js'

export default class Gc extends SyncCommand {
  static override summary = "Reclaim the space of chunks no version of this folder's state needs any more."
  static override description = prose(`Keeps every chunk that a file here, its last synced version or the newest version the server told of
needs (and the tree nodes of files of more than 4096 chunks), and whatever a change not yet sent or received
needs; drops the rest and rewrites packs that are mostly garbage. Pack files written in the grace period are left
alone: their chunks may be a script's (hashify, save-chunk, fetch) on their way to a commit. Crash-safe: killed at
any moment, the store stays whole and the next run finishes the job.
With a daemon syncing the folder, the daemon carries it out between two passes and this command prints its report.
The daemon also collects by itself when the store is over 64 MB and over twice what its versions need
("gc": {"aboveMB": 64, "graceSeconds": 600} in .sync/config.json).`)

  static override examples = [
    {description: 'Reclaim space now:', command: '<%= config.bin %> gc'},
    {description: 'How much would go, changing nothing:', command: '<%= config.bin %> gc --dry-run'},
    {
      description: 'Everything not needed, however recent, as JSON (nothing else may be writing chunks here):',
      command: '<%= config.bin %> gc --grace 0 --json',
    },
  ]

  static override flags = {
    'dry-run': Flags.boolean({summary: 'Report what would be reclaimed; change nothing.', default: false}),
    grace: Flags.integer({summary: "Leave pack files written in the last SECONDS alone (default: the folder's setting, 600).", min: 0, helpValue: 'SECONDS'}),
  }

  async run(): Promise<FolderGcOutcome> {
    const {flags} = await this.parse(Gc)
    const outcome = await runFolderGc(this.startDir(flags), {dryRun: flags['dry-run'], graceSeconds: flags.grace})
    const who = outcome.handedTo === undefined ? '' : `the daemon (pid ${outcome.handedTo}) `
    this.log(`${who}${describeGc(outcome)}`)
    return outcome
  }
}
