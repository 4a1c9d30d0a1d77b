import {SyncCommand} from '../src/cli/base-command.js'
import {describeEvent} from '../src/cli/describe-event.js'
import {EXIT} from '../src/cli/exit-codes.js'
import {progressBar} from '../src/cli/progress-bar.js'
import {withSyncer} from '../src/cli/with-syncer.js'
import type {SyncEvent} from '../src/sync/sync-event.js'
import type {PassCounts} from '../src/sync/syncer.js'

interface OnceResult extends PassCounts {
  inSync: boolean
  pending: {type: string; path: string}[]
  unreadable: string[]
  unsyncable: {path: string; reason: string}[]
  head: number
}

export default class Once extends SyncCommand {
  static override summary = 'Sync the folder with the server once: send local changes, apply remote ones, then exit.'
  static override description = `One full pass: scan the folder, read the journal, merge where both sides changed, send and apply.
Exit 0 when the folder and the server agree afterwards; 11 with a message when something is left (a file that
changed during the pass, an unreadable file, a name the server refuses). For scripts and cron; 'sync daemon'
keeps syncing continuously. Shows a progress bar on a terminal for long work.`

  static override examples = [
    {description: 'Sync the current folder:', command: '<%= config.bin %> once'},
    {description: 'Every five minutes from cron:', command: '*/5 * * * * <%= config.bin %> once -C ~/Recipes'},
  ]

  async run(): Promise<OnceResult> {
    const {flags} = await this.parse(Once)
    const json = this.jsonEnabled()
    const bar = json ? undefined : progressBar()
    const hooks = json ? {} : {onEvent: (event: SyncEvent) => this.log(describeEvent(event)), onProgress: bar?.update}
    const summary = await withSyncer(this.startDir(flags), hooks, (syncer) => syncer.pass()).finally(() => bar?.stop())
    const {uploaded, downloaded, deleted, moved, merged, conflicts} = summary
    const result: OnceResult = {
      inSync: false,
      uploaded,
      downloaded,
      deleted,
      moved,
      merged,
      conflicts,
      pending: summary.pending.map((a) => ({type: a.type, path: a.path})),
      unreadable: summary.scan.unreadable,
      unsyncable: summary.scan.unsyncable,
      head: summary.pull.head,
    }
    result.inSync = result.pending.length === 0 && result.unreadable.length === 0 && result.unsyncable.length === 0
    if (result.inSync) {
      this.log(`in sync at jid ${result.head}: ${result.uploaded} sent, ${result.downloaded} received, ${result.deleted} deleted, ${result.moved} moved, ${result.merged} merged, ${result.conflicts.length} conflicts`)
    } else {
      process.exitCode = EXIT.notInSync
      const reasons = [
        ...result.pending.map((p) => `${p.path} (${p.type} pending)`),
        ...result.unreadable.map((p) => `${p} (unreadable)`),
        ...result.unsyncable.map((p) => `${p.path} (${p.reason})`),
      ]
      if (!json) process.stderr.write(`error: not in sync yet: ${reasons.slice(0, 5).join(', ')}${reasons.length > 5 ? ` and ${reasons.length - 5} more` : ''}\n`)
    }
    return result
  }
}
