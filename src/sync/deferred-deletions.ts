/**
 * Which deletions a daemon's pass leaves for later (PassOptions.deletionsOf 'paths'). The daemon sends a deletion
 * once its watcher has seen it and the folder has been quiet for the deletion debounce (change-batch.ts), so that
 * an `rm -rf` reaches the delete guard whole. A full scan (at start, a rescan, after a failure) can run in the
 * middle of one and find only the files deleted so far: too few for the guard's thresholds, they would go, and
 * the rest be held. Such a deletion is handed back to the daemon's batch instead, where it waits for the quiet
 * with the watcher's own. Deletions the user has already been asked about (held before this pass, approved
 * since) are not deferred: the guard has judged them.
 */
import type {Action} from '../plan/action.js'
import {coveredBy} from '../paths/covered-by.js'

/** Whether `action` is a deletion to defer: sent, not under one of `listed` (paths or folders), not judged before. */
export function deferredDeletion(listed: readonly string[] | undefined, judgedBefore: ReadonlySet<string>): (action: Action) => boolean {
  const isListed = coveredBy(listed ?? [])
  return (action) => action.type === 'delete-remote' && !judgedBefore.has(action.path) && !isListed(action.path)
}
