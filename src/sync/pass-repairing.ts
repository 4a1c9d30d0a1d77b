/**
 * `sync once`'s pass: when it fails on damage in the folder's store (the error names a pack), the store is
 * repaired (store-repair.ts) and the pass runs again, once, as a daemon does. A repair that
 * drops nothing (the damage was not in this store) leaves the failure as it was.
 */
import type {CorruptDataError} from '../errors/index.js'
import type {RepairReport} from './repair-folder.js'
import {StoreRepair} from './store-repair.js'
import type {PassOptions, PassSummary, Syncer} from './syncer.js'

export async function passRepairing(
  syncer: Syncer,
  options: PassOptions,
  onRepair: (report: RepairReport, damage: CorruptDataError) => void,
): Promise<PassSummary> {
  const repair = new StoreRepair(syncer, onRepair)
  try {
    return await syncer.pass(options)
  } catch (error) {
    if (!(await repair.after(error))) throw error
    return syncer.pass(options)
  }
}
