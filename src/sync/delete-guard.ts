/**
 * The delete guard (Nextcloud's "pause before a big delete"): a reinstall, a wiped or unmounted disk or a bug can
 * make a folder look empty, and a sync tool then faithfully deletes everything everywhere. When one pass would
 * send, or apply, more deletions than the folder's thresholds allow, those deletions are held (everything else
 * goes on) until the user approves them (`sync approve-deletes`) or brings the files back (`sync restore
 * --held`). Each direction is judged on its own. A folder that looks empty holds every deletion it would send.
 * Pure: the syncer counts, this decides.
 */
export interface DeleteGuardSettings {
  /** Deletions in one direction above which the fraction is looked at. */
  files: number
  /** The share of the tracked files that, exceeded too, holds the deletions. */
  fraction: number
  /**
   * Deletions carried out in this many minutes before a pass count with its own (holds.ts): a folder emptied in
   * slices, by passes or by `sync once` runs apart, is judged as a whole.
   */
  minutes: number
}

export const DEFAULT_DELETE_GUARD: DeleteGuardSettings = {files: 50, fraction: 0.25, minutes: 60}

export type HoldWhy = 'mass-delete' | 'folder-empty'

export interface GuardInput {
  /** Deletions this pass would carry out in this direction (approved ones left out), and those of the window. */
  deletions: number
  /** Files this device tracks (synced or on disk). */
  tracked: number
  /** Deletions carried out in the window, both directions: files that were tracked when it began. */
  deletedLately?: number
  /** For deletions to send: the folder holds not one file now. */
  folderEmpty?: boolean
}

/** Why this direction's deletions are held, or undefined when they may go. */
export function guardDeletions(input: GuardInput, settings: Omit<DeleteGuardSettings, 'minutes'> = DEFAULT_DELETE_GUARD): HoldWhy | undefined {
  if (input.deletions === 0) return undefined
  // The last file of a folder that had only that one may go; a folder that had more and is empty now is suspect.
  if (input.folderEmpty && input.tracked > 1) return 'folder-empty'
  // The share is of the files tracked when the window began, not of what its earlier slices left.
  const tracked = input.tracked + (input.deletedLately ?? 0)
  return input.deletions > settings.files && input.deletions > settings.fraction * tracked ? 'mass-delete' : undefined
}
