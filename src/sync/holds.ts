/**
 * What a pass holds back on purpose instead of carrying out: this device's changes when its token is read-only,
 * and deletions the delete guard stops (delete-guard.ts). Held changes stay planned, so they go as soon as the
 * hold ends: the user approves the deletions (`approve`), brings the files back (`restore`: the path forgets its
 * base, so the next plan downloads what this device deleted, or sends what the other device deleted), or the
 * token changes. Deletions carried out in the guard's window (an hour by default) count toward it too, against
 * the files tracked when they began, so that a folder emptied over several passes is still caught: a daemon sees
 * an `rm -rf` in batches, and another device's deletions arrive in the slices they were committed in, whether
 * a daemon or `sync once` runs read them (the window is kept in the folder state). Deletions the user approved
 * do not count, and approving starts the window again: they were meant. A held deletion stays held until
 * the user decides, even when the rest of its batch stops being deletions (a rule now ignores them, say): a batch
 * must not shrink under the thresholds and slip through. A pass that would send deletions of a large share of a
 * folder too small for the thresholds first lets the folder settle (`shrinking`): an `rm -rf` under way when the
 * scan ran has emptied the folder by then, and every deletion is held, none sent.
 */
import type {Action} from '../plan/action.js'
import type {FolderState, HeldChange, RecentDeletions} from '../state/folder-state.js'
import {DEFAULT_DELETE_GUARD, type DeleteGuardSettings, guardDeletions, type HoldWhy} from './delete-guard.js'

/** Deletions carried out within this long of each other are kept as one entry of the window. */
const ENTRY_MS = 60_000

type Direction = RecentDeletions['direction']

const directionOf = (action: Action): Direction | undefined =>
  action.type === 'delete-remote' ? 'outgoing' : action.type === 'delete-local' ? 'incoming' : undefined
const sends = (action: Action) => action.type === 'upload' || action.type === 'delete-remote' || action.type === 'move-remote'

export interface JudgeInput {
  /** The token was found read-only. */
  readOnly: boolean
  /** The folder holds no file at all (an unmounted disk looks like this). */
  folderEmpty: () => boolean
  /** Who deleted a path remotely, when the pull saw it. */
  deletedBy: ReadonlyMap<string, string>
}

export class Holds {
  private readonly approved = new Set<string>()
  private guard: Partial<Record<Direction, HoldWhy>> = {}
  /** The window's deletions in each direction at the last judgement (for the held changes' report). */
  private lately: Record<Direction, number> = {outgoing: 0, incoming: 0}
  /** Deletions held by an earlier pass or round, and why. */
  private stillHeld = new Map<string, HoldWhy>()
  /**
   * Deletions held by a round of the pass under way (judged again after each round): the pass's own downloads
   * must not let them through. A folder emptied with its .syncignore gets the files the rule kept out back in the
   * first round, and was no longer empty when judged for the second (chaos seed 1033).
   */
  private heldThisPass = new Map<string, HoldWhy>()
  private readOnly = false
  private deletedBy: ReadonlyMap<string, string> = new Map()

  constructor(
    private readonly state: FolderState,
    private readonly settings: DeleteGuardSettings = DEFAULT_DELETE_GUARD,
    private readonly now: () => number = Date.now,
  ) {}

  /** Lets these held deletions through, and starts the window again. */
  approve(paths: Iterable<string>): void {
    const before = this.approved.size
    for (const path of paths) this.approved.add(path)
    if (this.approved.size > before && this.state.recentDeletions.length > 0) this.state.recentDeletions = []
  }

  /** Brings back the files whose deletion is held: their paths forget the base, so nothing is deleted. */
  restore(paths: Iterable<string>): string[] {
    const held = new Set(this.state.held.filter((h) => h.why !== 'read-only').map((h) => h.path))
    const restored: string[] = []
    for (const path of paths) {
      if (!held.has(path) || !this.state.get(path)) continue
      this.state.update(path, {base: undefined})
      this.approved.delete(path)
      restored.push(path)
    }
    return restored
  }

  /**
   * Whether these actions would send deletions of more than the guard's share of the tracked files (and at least
   * two): what an `rm -rf` looks like while it runs. The syncer then waits a moment before judging them.
   */
  shrinking(actions: readonly Action[]): boolean {
    let outgoing = 0
    for (const action of actions) if (directionOf(action) === 'outgoing' && !this.approved.has(action.path)) outgoing++
    return outgoing >= 2 && outgoing > this.settings.fraction * this.tracked()
  }

  /** A pass begins: what its rounds hold is judged afresh. */
  beginPass(): void {
    this.heldThisPass.clear()
  }

  /** Decides, for this round's plan, which deletions are held. */
  judge(actions: readonly Action[], input: JudgeInput): void {
    this.readOnly = input.readOnly
    this.deletedBy = input.deletedBy
    this.stillHeld = new Map([...this.state.held.flatMap((h) => (h.why === 'read-only' ? [] : [[h.path, h.why] as const])), ...this.heldThisPass])
    const count: Record<Direction, number> = {outgoing: 0, incoming: 0}
    for (const action of actions) {
      const direction = directionOf(action)
      if (direction && !this.approved.has(action.path)) count[direction]++
    }
    const recent = this.window()
    this.lately = {outgoing: 0, incoming: 0}
    for (const {direction, count: n} of recent) this.lately[direction] += n
    count.outgoing += this.lately.outgoing
    count.incoming += this.lately.incoming
    const deletedLately = this.lately.outgoing + this.lately.incoming
    // The folder is looked at now, not as the scan saw it: a pass that began during an `rm -rf` is caught too.
    const folderEmpty = count.outgoing > 0 && input.folderEmpty()
    // Counting the tracked files walks every record: only when the deletions could be too many, or all.
    const tracked = folderEmpty || Math.max(count.outgoing, count.incoming) > this.settings.files ? this.tracked() : 0
    this.guard = {
      outgoing: guardDeletions({deletions: count.outgoing, tracked, deletedLately, folderEmpty}, this.settings),
      incoming: guardDeletions({deletions: count.incoming, tracked, deletedLately}, this.settings),
    }
    for (const action of actions) {
      const why = this.why(action)
      if (why && why !== 'read-only' && directionOf(action)) this.heldThisPass.set(action.path, why)
    }
  }

  /** Why `action` is held, or undefined when it goes. */
  why(action: Action): HeldChange['why'] | undefined {
    if (this.readOnly && sends(action)) return 'read-only'
    const direction = directionOf(action)
    return direction && !this.approved.has(action.path) ? (this.guard[direction] ?? this.stillHeld.get(action.path)) : undefined
  }

  /** Counts deletions carried out (for the guard's window), except approved ones, and forgets approvals used up. */
  carriedOut(actions: readonly Action[]): void {
    const count: Record<Direction, number> = {outgoing: 0, incoming: 0}
    for (const action of actions) {
      const direction = directionOf(action)
      if (direction && !this.approved.has(action.path)) count[direction]++
      this.approved.delete(action.path)
    }
    if (count.outgoing + count.incoming === 0) return
    const now = this.now()
    const recent = [...this.window()]
    for (const direction of ['outgoing', 'incoming'] as const) {
      if (count[direction] === 0) continue
      const last = recent.map((entry) => entry.direction).lastIndexOf(direction)
      if (last >= 0 && now - recent[last].time < ENTRY_MS) recent[last] = {...recent[last], count: recent[last].count + count[direction]}
      else recent.push({time: now, direction, count: count[direction]})
    }
    this.state.recentDeletions = recent
  }

  /** The held changes among the actions left at the end of a pass. */
  held(left: readonly Action[]): HeldChange[] {
    const held: HeldChange[] = []
    for (const action of left) {
      const why = this.why(action)
      if (!why || action.type === 'record' || action.type === 'download' || action.type === 'merge' || action.type === 'move-local') continue
      const from = action.type === 'delete-local' ? this.deletedBy.get(action.path) : undefined
      const lately = why === 'mass-delete' ? this.lately[directionOf(action) ?? 'outgoing'] : 0
      held.push({
        type: action.type,
        path: action.path,
        why,
        ...(from ? {from} : {}),
        ...(lately > 0 ? {lately: {count: lately, minutes: this.settings.minutes}} : {}),
      })
    }
    return held
  }

  /**
   * The window's entries, read from the state (a `sync once` run finds those of the runs before it). An entry
   * from the future is kept while within the window's length of now: a clock set back by a minute does not
   * empty the window, one set back by days does not hold every deletion for days.
   */
  private window(): readonly RecentDeletions[] {
    const now = this.now()
    const span = this.settings.minutes * 60_000
    return this.state.recentDeletions.filter((entry) => wellFormed(entry) && Math.abs(now - entry.time) <= span)
  }

  private tracked(): number {
    let tracked = 0
    for (const [, record] of this.state.entries()) if (record.local || record.base?.manifest) tracked++
    return tracked
  }
}

/** An entry as saved: anything else in the state (a damaged or hand-edited value) is left out of the count. */
const wellFormed = (entry: RecentDeletions) =>
  entry !== null &&
  typeof entry === 'object' &&
  Number.isFinite(entry.time) &&
  (entry.direction === 'outgoing' || entry.direction === 'incoming') &&
  Number.isSafeInteger(entry.count) &&
  entry.count > 0
