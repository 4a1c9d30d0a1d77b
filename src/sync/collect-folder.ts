/**
 * Garbage collection of a device's store (`sync gc`, and the daemon when garbage piles up, daemon-gc.ts): the
 * store code the server uses (src/store/collect-garbage.ts), keeping what the sync state names (mark-folder.ts).
 * It runs between two passes of the folder's one syncing process (the caller holds the folder lock), so no pass
 * has chunks on their way meanwhile. It keeps what the state in memory names (a pass that failed, the server
 * down, found a local change it will send next: its chunks are in the store and nowhere else but the file) and
 * what the state on disk names (what a restart would read), and the versions kept on the device for its keep-days. Chunks that plumbing commands (hashify, save-chunk,
 * fetch) stored and nothing names are kept for the grace period: a script may be about to upload them.
 */
import {collectGarbage, type CollectReport} from '../store/collect-garbage.js'
import {DAY_MS} from '../util/day-ms.js'
import {markFolderState} from './mark-folder.js'
import type {Syncer} from './syncer.js'

/** A pack whose live chunk bytes are under this fraction of its chunk bytes is rewritten (as on the server). */
const REWRITE_BELOW = 0.5

export interface FolderGcReport extends CollectReport {
  dryRun: boolean
  durationMs: number
}

export function collectFolder(syncer: Syncer, options: {dryRun?: boolean; graceSeconds: number}): Promise<FolderGcReport> {
  return syncer.between(async () => {
    const started = Date.now()
    const {folder} = syncer
    // Versions kept past the folder's keep-days are forgotten first, so that their chunks go now.
    if (!options.dryRun) await syncer.state.forgetKeptBefore(started - folder.keepDays * DAY_MS)
    const report = await collectGarbage(
      folder.store,
      {
        mark: async (marks) => {
          markFolderState(syncer.state, marks)
          if (syncer.state.hasPendingWrites) markFolderState(folder.loadState(), marks)
        },
        // No pass runs meanwhile, so nothing here names new chunks; chunks another process adds since the
        // snapshot keep their packs whole at the switch (collect-garbage.ts).
        exclusive: (work) => work(),
        markLate: async () => {},
      },
      {dryRun: options.dryRun, graceMs: options.graceSeconds * 1000, rewriteBelow: REWRITE_BELOW},
    )
    return {...report, dryRun: options.dryRun === true, durationMs: Date.now() - started}
  })
}
