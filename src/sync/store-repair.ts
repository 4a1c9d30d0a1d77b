/**
 * A daemon (or `sync once`, pass-repairing.ts) whose pass failed on damage in the folder's own store (a chunk that fails its check, in a pack the
 * error names: a copy of the folder taken while a daemon wrote, a flipped bit) repairs the store (repair-folder.ts)
 * and passes again, as Syncthing pulls a block that fails its hash again. Before, every pass failed the same way
 * until someone ran `sync fsck --repair`. Nothing is lost by not asking: a damaged chunk cannot be read anyway, the
 * store is a cache of the files and the server, and the repair writes nothing outside `.sync/`. Once per run of
 * failures: a repair that dropped nothing (the damage was not in this store) is not tried again until a pass
 * succeeds.
 */
import type {CorruptDataError} from '../errors/index.js'
import {isStoreDamage} from '../store/store-damage.js'
import type {RepairReport} from './repair-folder.js'
import type {Syncer} from './syncer.js'

export class StoreRepair {
  private tried = false
  /** The repair under way: a failure on damage meanwhile (a pass, a big upload) is its, not reported. */
  private running: Promise<boolean> | undefined

  constructor(
    private readonly syncer: Syncer,
    private readonly onRepair: (report: RepairReport, damage: CorruptDataError) => void,
  ) {}

  /** A pass succeeded: damage met later is repaired again. */
  passed(): void {
    this.tried = false
  }

  /** Whether a pass that failed with `error` goes to the repair (`after`) instead of being reported. */
  wants(error: unknown): error is CorruptDataError {
    return isStoreDamage(error) && (!this.tried || this.running !== undefined)
  }

  /**
   * After a failed pass (none running): repairs the store if `error` is damage in it; whether to pass again now.
   * A failure while a repair is under way waits for it and leaves the pass after it to that repair's caller.
   */
  async after(error: unknown): Promise<boolean> {
    if (this.running)
      return this.running.then(
        () => false,
        () => false,
      )
    if (!this.wants(error)) return false
    this.tried = true
    this.running = this.repair(error).finally(() => (this.running = undefined))
    return this.running
  }

  private async repair(error: CorruptDataError): Promise<boolean> {
    // Loaded only when needed: every `sync once` loads this module.
    const {repairFolder} = await import('./repair-folder.js')
    const report = await this.syncer.between(() => repairFolder(this.syncer))
    this.onRepair(report, error)
    return report.dropped > 0
  }
}
