/** A device's garbage collection report in one line (`sync gc`, and the daemon's log when it collects). */
import type {FolderGcReport} from '#src/sync/collect-folder.js'
import {mb} from './megabytes.js'

export function describeGc(report: FolderGcReport): string {
  const verb = report.dryRun ? 'would reclaim' : 'reclaimed'
  return (
    `${verb} ${mb(report.bytesBefore - report.bytesAfter)}: ${mb(report.bytesBefore)} -> ${mb(report.bytesAfter)}${report.dryRun ? ' (estimate)' : ''}; ` +
    `${report.liveChunks} of ${report.chunks} chunks live; ${report.rewrittenPacks} packs rewritten, ${report.deletedPacks} deleted, ` +
    `${report.orphanPacks} left by a crash deleted, in ${report.durationMs} ms`
  )
}
