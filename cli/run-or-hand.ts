/**
 * A request (`sync restore`) carried out by this process when no other syncs the folder, or handed to the one
 * that does (a daemon) and its answer awaited: the result, or its error, as if this process had met it.
 */
import {askDaemon} from '#src/folder/daemon-requests.js'
import {findRoot} from '#src/folder/find-root.js'
import {folderLayout} from '#src/folder/layout.js'
import {FolderBusyError} from '#src/errors/index.js'
import {carryOut, type FolderRequest, type RequestResult} from '#src/sync/folder-requests.js'
import type {SyncEvent} from '#src/sync/sync-event.js'
import {withSyncer} from '#src/sync/with-syncer.js'

export interface HandOptions {
  onEvent?: (event: SyncEvent) => void
  /** How long to wait for a daemon's answer. */
  timeoutMs: number
}

export async function runOrHand<Q extends FolderRequest>(startDir: string, request: Q, options: HandOptions): Promise<RequestResult<Q> & {handedTo?: number}> {
  for (;;) {
    try {
      return (await withSyncer(startDir, {onEvent: options.onEvent}, (syncer) => carryOut(syncer, request))) as RequestResult<Q> & {handedTo?: number}
    } catch (error) {
      if (!(error instanceof FolderBusyError)) throw error
      const answer = await askDaemon(folderLayout(await findRoot(startDir)), request, {pid: error.pid, timeoutMs: options.timeoutMs})
      // The daemon stopped before taking it: carried out here after all.
      if (answer === 'gone') continue
      return {...(answer.result as RequestResult<Q>), handedTo: error.pid}
    }
  }
}
