/**
 * The daemon's garbage collection (collect-folder.ts), between passes: a `sync gc` handed to it
 * (src/folder/gc-request.ts), carried out and answered; and, on its own, when the store is over the folder's
 * `aboveMB` and over twice the bytes its versions need (gc-settings.ts), and a collection would halve it (packs in
 * the grace period may hold most of the garbage: then not yet). After each pass it lists the pack files (cheap),
 * and marks to know what is live (a dry run) at most once a minute.
 */
import {answerGcRequest, type GcAnswer, takeGcRequest} from '../folder/gc-request.js'
import {isSyncError} from '../errors/index.js'
import {listPacks} from '../store/pack-usage.js'
import {collectFolder, type FolderGcReport} from './collect-folder.js'
import type {Syncer} from './syncer.js'

/** `asked`: a `sync gc` handed over; `garbage`: the store passed the threshold. */
export type GcCause = 'asked' | 'garbage'

/** How long after a collection failed the daemon tries again. */
export const RETRY_FAILED_MS = 10 * 60_000
const MB = 1024 * 1024

export class DaemonGc {
  /** When the daemon may look at the store again. */
  private lookAfter = 0
  private running?: Promise<void>

  constructor(
    private readonly syncer: Syncer,
    private readonly onGc: (cause: GcCause, report: FolderGcReport) => void,
    /** The least time between two looks. */
    private readonly lookEveryMs = 60_000,
  ) {}

  /** Carries out a request left for the daemon, or collects when garbage passed the threshold. One at a time. */
  betweenPasses(): Promise<void> {
    this.running ??= this.run().finally(() => (this.running = undefined))
    return this.running
  }

  private async run(): Promise<void> {
    const {layout, gcSettings} = this.syncer.folder
    // A folder moved or replaced meanwhile: its packs' path is now none, or another folder's (the pass said so).
    if (!this.syncer.folder.isInPlace()) return
    const request = await takeGcRequest(layout.gcRequest)
    if (request) {
      let answer: GcAnswer
      try {
        const report = await collectFolder(this.syncer, request)
        answer = {id: request.id, report}
        this.onGc('asked', report)
      } catch (error) {
        const {message} = error as Error
        answer = {id: request.id, error: {code: isSyncError(error) ? error.code : 'E_UNEXPECTED', message}}
      }
      await answerGcRequest(layout.gcAnswer, answer)
      return
    }
    if (Date.now() < this.lookAfter) return
    const bytes = (await listPacks(this.syncer.folder.store.packsDir)).reduce((sum, file) => sum + file.bytes, 0)
    if (bytes <= gcSettings.aboveMB * MB) return
    this.lookAfter = Date.now() + this.lookEveryMs
    const {graceSeconds} = gcSettings
    const estimate = await collectFolder(this.syncer, {dryRun: true, graceSeconds})
    if (estimate.bytesBefore <= 2 * estimate.liveBytes || estimate.bytesBefore <= 2 * estimate.bytesAfter) return
    try {
      this.onGc('garbage', await collectFolder(this.syncer, {graceSeconds}))
    } catch (error) {
      this.lookAfter = Date.now() + RETRY_FAILED_MS
      throw error
    }
  }
}
