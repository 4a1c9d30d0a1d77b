/**
 * What `sync approve-deletes` and `sync restore --held` share: the held deletions of the folder's last pass, and
 * a decision about them carried out now (a pass of this process), or handed to the sync process that holds the
 * folder (a daemon), which carries it out at its next pass.
 */
import {FolderBusyError} from '#src/errors/folder-busy-error.js'
import {handDecisions, type HeldDecisions} from '#src/folder/held-decisions.js'
import {SyncFolder} from '#src/folder/sync-folder.js'
import type {HeldChange} from '#src/state/folder-state.js'
import type {SyncEvent} from '#src/sync/sync-event.js'
import type {Syncer} from '#src/sync/syncer.js'
import {withSyncer} from '#src/sync/with-syncer.js'

export interface DecisionOutcome {
  /** The held deletions the decision covers. */
  held: HeldChange[]
  /** Carried out by this process (a pass ran), or handed to the process syncing the folder. */
  carriedOut: boolean
  handedTo?: number
}

/** The deletions the delete guard holds (not the changes a read-only token keeps here). */
export async function heldDeletions(startDir: string): Promise<HeldChange[]> {
  const folder = await SyncFolder.open(startDir)
  try {
    return folder.loadState().held.filter((held) => held.why !== 'read-only')
  } finally {
    await folder.close()
  }
}

export async function decideHeld(
  startDir: string,
  decide: (paths: string[]) => HeldDecisions,
  apply: (syncer: Syncer, paths: string[]) => void,
  onEvent?: (event: SyncEvent) => void,
): Promise<DecisionOutcome> {
  const held = await heldDeletions(startDir)
  if (held.length === 0) return {held, carriedOut: false}
  const paths = held.map((h) => h.path)
  try {
    await withSyncer(startDir, {onEvent}, async (syncer) => {
      apply(syncer, paths)
      await syncer.pass()
    })
    return {held, carriedOut: true}
  } catch (error) {
    if (!(error instanceof FolderBusyError)) throw error
    const folder = await SyncFolder.open(startDir)
    try {
      await handDecisions(folder.layout.decisions, decide(paths))
    } finally {
      await folder.close()
    }
    return {held, carriedOut: false, handedTo: error.pid}
  }
}
