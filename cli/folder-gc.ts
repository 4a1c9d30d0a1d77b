/**
 * `sync gc`: collects the folder's garbage now, holding the folder as `sync once` does (src/sync/collect-folder.ts).
 * With a daemon holding it, the collection is handed to the daemon (src/folder/gc-request.ts), which carries it out
 * between two passes and answers with the same report; if the daemon stops first, the folder is free and this
 * process collects itself.
 */
import {CorruptDataError, FolderBusyError, NoSpaceError} from '#src/errors/index.js'
import {awaitGcAnswer, handGcRequest} from '#src/folder/gc-request.js'
import {SyncFolder} from '#src/folder/sync-folder.js'
import {collectFolder, type FolderGcReport} from '#src/sync/collect-folder.js'
import {withSyncer} from '#src/sync/with-syncer.js'

export interface FolderGcOutcome extends FolderGcReport {
  /** The daemon that carried it out, when one holds the folder. */
  handedTo?: number
}

export interface FolderGcOptions {
  dryRun: boolean
  /** Default: the folder's setting (`gc.graceSeconds` in .sync/config.json). */
  graceSeconds?: number
}

/** A daemon may stop and another start meanwhile: a few tries, then the folder counts as busy. */
const TRIES = 3

export async function runFolderGc(startDir: string, options: FolderGcOptions): Promise<FolderGcOutcome> {
  let busy: FolderBusyError | undefined
  for (let attempt = 0; attempt < TRIES; attempt++) {
    try {
      return await withSyncer(startDir, {}, (syncer) =>
        collectFolder(syncer, {dryRun: options.dryRun, graceSeconds: options.graceSeconds ?? syncer.folder.gcSettings.graceSeconds}),
      )
    } catch (error) {
      if (!(error instanceof FolderBusyError) || error.pid < 0) throw error
      busy = error
    }
    const answer = await handToDaemon(startDir, busy.pid, options)
    if (answer) return answer
  }
  throw busy!
}

async function handToDaemon(startDir: string, pid: number, options: FolderGcOptions): Promise<FolderGcOutcome | undefined> {
  const folder = await SyncFolder.open(startDir)
  let request
  try {
    request = await handGcRequest(folder.layout.gcRequest, {dryRun: options.dryRun, graceSeconds: options.graceSeconds ?? folder.gcSettings.graceSeconds})
  } finally {
    await folder.close()
  }
  const answer = await awaitGcAnswer(folder.layout, request, pid)
  if (!answer) return undefined
  if (answer.report) return {...answer.report, handedTo: pid}
  const message = `the daemon (pid ${pid}) could not collect: ${answer.error?.message}`
  throw answer.error?.code === NoSpaceError.code ? new NoSpaceError(message) : new CorruptDataError(message, {pid})
}
