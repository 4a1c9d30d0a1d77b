import type {RepairReport} from '#src/sync/repair-folder.js'

/** What a repair dropped and fetched again, in one line (`sync fsck --repair`, and the daemon's log). */
export function describeRepair(report: RepairReport): string {
  if (report.dropped === 0) return `${report.chunks} chunks checked, none damaged: nothing to repair`
  const fetched = report.fetchError === undefined ? `${report.refetched} fetched again from the server` : `none fetched from the server (${report.fetchError})`
  return `dropped ${report.dropped} damaged chunks of ${report.chunks}: ${fetched}`
}

/** The repair's consequence for kept versions (`sync kept`), when it has one. */
export function describeKeptLoss(report: RepairReport): string | undefined {
  return report.keptIncomplete > 0 ? `${report.keptIncomplete} kept versions lost chunks and can no longer be restored` : undefined
}
