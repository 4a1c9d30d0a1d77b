/**
 * `sync once`'s pass: when it fails on damage in the folder's store (the error names a pack), the store is
 * repaired (repair-folder.ts) and the pass runs again, once; as a daemon does (daemon-repair.ts). A repair that
 * drops nothing (the damage was not in this store) leaves the failure as it was.
 */
import type {CorruptDataError} from '../errors/index.js'
import {isStoreDamage} from '../store/store-damage.js'
import type {RepairReport} from './repair-folder.js'
import type {PassOptions, PassSummary, Syncer} from './syncer.js'

export async function passRepairing(
  syncer: Syncer,
  options: PassOptions,
  onRepair: (report: RepairReport, damage: CorruptDataError) => void,
): Promise<PassSummary> {
  try {
    return await syncer.pass(options)
  } catch (error) {
    if (!isStoreDamage(error)) throw error
    // Loaded only when needed: every `sync once` loads this module.
    const {repairFolder} = await import('./repair-folder.js')
    const report = await repairFolder(syncer)
    onRepair(report, error)
    if (report.dropped === 0) throw error
    return syncer.pass(options)
  }
}
