/**
 * A pass as `sync once` reports it (printed, `--json`, or handed back by the daemon that carried it out): its counts,
 * what is left and why, and whether the folder and the server agree afterwards.
 */
import type {PassCounts, PassSummary} from './syncer.js'

export interface PassReport extends PassCounts {
  inSync: boolean
  pending: {type: string; path: string}[]
  unreadable: string[]
  /** Changes held back on purpose: kept here (read-only token: not a failure), or deletions the delete guard holds (exit 15). */
  held: {type: string; path: string; why: string; from?: string}[]
  /** Paths that cannot be synced (a name the protocol refuses, a link or a file in the way here, no space...). */
  blocked: {path: string; reason: string}[]
  head: number
}

/** A held change that is a deletion the delete guard stops (not a local change kept under a read-only token). */
export const isHeldDeletion = (held: {why: string}): boolean => held.why !== 'read-only'

export function passReport(summary: PassSummary): PassReport {
  const {uploaded, downloaded, deleted, moved, merged, conflicts} = summary
  const report: PassReport = {
    inSync: false,
    uploaded,
    downloaded,
    deleted,
    moved,
    merged,
    conflicts,
    // A blocked path's action stays planned: listed once, with why, among the blocked.
    pending: summary.pending.filter((a) => !summary.blocked.some((b) => b.path === a.path)).map((a) => ({type: a.type, path: a.path})),
    unreadable: summary.scan.unreadable,
    held: summary.held.map((h) => ({...h})),
    blocked: summary.blocked.map(({path, reason}) => ({path, reason})),
    head: summary.pull.head,
  }
  report.inSync = report.pending.length === 0 && report.unreadable.length === 0 && report.blocked.length === 0 && !report.held.some(isHeldDeletion)
  return report
}
