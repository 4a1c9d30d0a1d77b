import type {CorruptDataError} from '#src/errors/index.js'
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

/** A repair a pass's failure led to (the daemon's, `sync once`'s): what failed, what was done, what follows. */
export function describeRepairAfter(report: RepairReport, damage: CorruptDataError): string {
  const said = [`a pass met damage in this folder's store (${damage.message}): ${describeRepair(report)}`, describeKeptLoss(report)].filter(Boolean).join('; ')
  return report.dropped > 0 ? `${said}; syncing again` : said
}

/** The same for a program: counts, not the lists (a whole store's chunks could be damaged). */
export function repairFields(report: RepairReport, damage: CorruptDataError): Record<string, unknown> {
  const {damaged, reread, ...counts} = report
  return {damage: damage.message, ...counts, damaged: damaged.length, reread: reread.length}
}
