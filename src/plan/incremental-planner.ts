/**
 * Plans a folder again without looking at every path: a path's action depends only on its own record (and the
 * move pairing only on paths that have actions), so only the paths whose record changed since the last plan,
 * and those that had an action then, can plan differently. A daemon's rescan of 10,000 unchanged files plans
 * none of them. The first plan covers the paths whose stored record is not settled (FolderState.takeTouched).
 */
import type {FolderState} from '../state/folder-state.js'
import type {PathRecord} from '../state/path-record.js'
import type {Action} from './action.js'
import {planActions} from './plan-actions.js'

export class IncrementalPlanner {
  /** Paths that had an action at the last plan (both ends of a move). */
  private unsettled = new Set<string>()

  constructor(private readonly state: FolderState) {}

  /** The same actions as `planActions(state.entries())`. */
  plan(): Action[] {
    const actions = planActions(this.candidates(this.state.takeTouched()))
    this.unsettled = new Set(actions.flatMap((a) => (a.type === 'move-local' || a.type === 'move-remote' ? [a.path, a.from] : [a.path])))
    return actions
  }

  private *candidates(touched: Set<string>): Iterable<[string, PathRecord]> {
    for (const path of this.unsettled) touched.add(path)
    for (const path of touched) {
      const record = this.state.get(path)
      if (record) yield [path, record]
    }
  }
}
