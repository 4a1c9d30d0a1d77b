import {SyncCommand} from '../cli/base-command.js'
import {decideHeld} from '../cli/decide-held.js'
import {describeEvent} from '../cli/describe-event.js'
import {prose} from '../cli/prose.js'

export default class ApproveDeletes extends SyncCommand {
  static override summary = 'Let through the deletions the delete guard is holding (see sync status).'
  static override description = prose(`When one pass, with the deletions of the hour before it, would delete more files than the folder's
delete guard allows (by default more than 50 files and more than 25% of those tracked), or the folder looks
empty (an unmounted disk), sync holds those deletions and syncs everything else. This sends the held deletions
of this device to the server, and applies those of other devices here; approved deletions do not count toward
the guard, and the hour starts again. To bring the files back instead, run 'sync restore --held'. With a daemon
running, the decision is handed to it and carried out at once. Thresholds and window: 'sync config set
delete-guard.files|delete-guard.fraction|delete-guard.minutes'.`)

  static override examples = [
    {description: 'See what is held:', command: '<%= config.bin %> status'},
    {description: 'Let it through (the deletions were meant):', command: '<%= config.bin %> approve-deletes'},
    {description: 'Or bring the files back instead:', command: '<%= config.bin %> restore --held'},
  ]

  async run(): Promise<{approved: number; carriedOut: boolean; handedTo?: number}> {
    const {flags} = await this.parse(ApproveDeletes)
    const outcome = await decideHeld(
      this.startDir(flags),
      (paths) => ({approve: paths, restore: []}),
      (syncer, paths) => syncer.holds.approve(paths),
      (event) => this.log(describeEvent(event)),
    )
    if (outcome.held.length === 0) this.log('no deletions are held')
    else if (outcome.handedTo !== undefined) this.log(`approved ${outcome.held.length} held deletions; the sync process ${outcome.handedTo} carries them out`)
    else this.log(`approved ${outcome.held.length} held deletions`)
    return {approved: outcome.held.length, carriedOut: outcome.carriedOut, ...(outcome.handedTo === undefined ? {} : {handedTo: outcome.handedTo})}
  }
}
