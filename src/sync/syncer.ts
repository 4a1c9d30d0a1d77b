/**
 * The syncer: one `pass()` brings a folder and the server to agreement, as far as it can.
 *
 *   scan (local tree) → pull (remote tree) → plan → apply: records, remote changes into the folder,
 *   merges, local changes to the journal → plan again, until there is nothing left to do.
 *
 * Tests call `pass()` directly; `sync once` runs one; the daemon runs one whenever the watcher or the
 * long-poll says something changed. Passes never overlap (a pass waits for the one before it).
 */
import {existsSync} from 'node:fs'
import {ClientTooOldError, ForbiddenError, NoSpaceError} from '../errors/index.js'
import {updateCommand} from '../protocol/update-command.js'
import type {ClientNotice} from './client-notice.js'
import {ignoredByDefault, loadIgnoreRules, type IgnoreRules} from '../scan/ignore-rules.js'
import {folderIsEmpty} from '../scan/folder-is-empty.js'
import {scanFolder, type ScanResult} from '../scan/scan-folder.js'
import {nestedFolderFinder} from '../scan/nested-folders.js'
import type {ChangesPage, JournalClient} from '../journal/journal-client.js'
import type {Action} from '../plan/action.js'
import type {Manifest} from '../manifest/manifest.js'
import {IncrementalPlanner} from '../plan/incremental-planner.js'
import type {SyncFolder} from '../folder/sync-folder.js'
import type {BlockedPath, FolderState, HeldChange} from '../state/folder-state.js'
import {isDeleted} from '../state/path-record.js'
import {applyRemote, type RemoteAction} from './apply-remote.js'
import type {BigLane} from './big-lane.js'
import {blockedAfterPass, newlyBlocked} from './blocked-paths.js'
import {pull, type PullResult} from './pull.js'
import {push, type PushAction, type PushOutcome} from './push.js'
import {pushWithoutRoom} from './push-without-room.js'
import {takeDecisions} from '../folder/held-decisions.js'
import {describeHolds} from './describe-holds.js'
import {Holds} from './holds.js'
import {deferredDeletion} from './deferred-deletions.js'
import {settleDeletions} from './settle-deletions.js'
import {coveredBy} from '../paths/covered-by.js'
import {resolveClashes} from './resolve-clash.js'
import {resolveConflict, type MergeAction} from './resolve-conflict.js'
import type {SyncEvent} from './sync-event.js'
import {TransferMeter, type TransferProgress} from './transfer-meter.js'
import {logger} from '../util/logger.js'

const log = logger('syncer')

const isPushAction = (action: Action): action is PushAction => action.type === 'upload' || action.type === 'delete-remote' || action.type === 'move-remote'

/** Plans in one pass before it gives up (each round settles what the one before it learned). */
const MAX_ROUNDS = 6
/** Chunks a pass may hold in memory to send local changes while the disk is full. */
const SEND_WITHOUT_DISK_BYTES = 256 * 1024 * 1024

/** `settle`: waiting before sending deletions, `total` of them, for the folder to stop shrinking (settle-deletions.ts, holds.ts). */
export type Phase = 'scan' | 'settle' | 'apply' | 'send'

/** Long enough for an `rm -rf` of a small folder to end; a pass waits it only before deleting much of one. */
const SETTLE_MS = 300

/** The bytes a version holds (a link's target counts as nothing to move). */
const sizeOf = (manifest: Manifest): number => (manifest.kind === 'file' ? manifest.size : 0)

export interface SyncerOptions {
  device: string
  onEvent?: (event: SyncEvent) => void
  /** What is said about this client itself (a newer one exists, this one may not send): once each. */
  onNotice?: (notice: ClientNotice) => void
  /** Progress of the long steps: files read by the scan, changes applied here, changes sent. */
  onProgress?: (phase: Phase, done: number, total: number) => void
  /** Progress of the files received and sent: files and bytes done of the totals, as chunks move and files finish. */
  onTransfer?: (progress: TransferProgress) => void
  now?: () => Date
}

export interface PassOptions {
  /** Scan only these paths (from the watcher); default: the whole folder. */
  paths?: readonly string[]
  /** A page of changes already in hand (the daemon's long-poll answer). */
  page?: ChangesPage
  /**
   * Read the journal before planning (default true). The daemon's watcher-driven passes skip it: its long-poll
   * keeps the remote tree current, and a commit on a stale base comes back as a conflict and is merged.
   * 'unless-sending' (`sync once`): skipped when the pass has local changes to send, as the commit tells whether
   * anything came in before it (its JIDs follow the cursor, or the pass reads up to them); read as usual otherwise.
   */
  pull?: boolean | 'unless-sending'
  /**
   * Which deletions found here to send: 'all' (default), or those under `paths` alone (the daemon's: its watcher
   * saw them and the folder went quiet); the others are left for later, in `PassSummary.deferred`
   * (deferred-deletions.ts).
   */
  deletionsOf?: 'all' | 'paths'
}

/** What a pass changed, by kind; conflicts are the conflict copies it made. */
export interface PassCounts {
  uploaded: number
  downloaded: number
  deleted: number
  moved: number
  merged: number
  conflicts: string[]
}

export interface PassSummary extends PassCounts {
  scan: ScanResult
  pull: PullResult
  /** Actions still planned when the pass ended (changed locally meanwhile, blocked paths, conflicts in flight). */
  pending: Action[]
  /** Changes held back on purpose: this device's when its token is read-only, deletions the delete guard stops. */
  held: HeldChange[]
  skipped: {path: string; reason: string; side?: 'up'}[]
  /** Every path that cannot be synced now (this pass's and those still standing from earlier passes). */
  blocked: BlockedPath[]
  /** Deleted paths whose deletion was left for later (`deletionsOf: 'paths'`): still planned, not judged by the guard yet. */
  deferred: string[]
  /** This device's disk was full: local changes were sent from memory; what could not be written here waits for room. */
  diskFull?: boolean
}

/** What the syncer knows between passes; loaded again from disk after a local write failed (as at a restart). */
interface Known {
  state: FolderState
  planner: IncrementalPlanner
  holds: Holds
}

export class Syncer {
  private known: Known
  private rules?: IgnoreRules

  get state(): FolderState {
    return this.known.state
  }

  /** What passes hold back on purpose (read-only token, delete guard), and the user's decisions about it. */
  get holds(): Holds {
    return this.known.holds
  }

  /** The ignore rules of the last pass (the defaults before the first): the daemon's watcher filters events by them. */
  get ignoreRules(): IgnoreRules {
    return this.rules ?? {ignores: ignoredByDefault, source: ''}
  }
  /**
   * Where big transfers go (the daemon's, big-lane.ts): a pass leaves them planned while the lane moves their
   * chunks. Without one (`sync once`), a pass moves everything itself.
   */
  lane?: BigLane
  private running: Promise<unknown> = Promise.resolve()
  /** JIDs this pass's commits created. */
  private committed: number[] = []
  /**
   * Held and blocked reports of this pass, said once it has saved them (or failed to: a full disk): a command run
   * on hearing one (`sync restore --held`, `sync status`) reads them from disk.
   */
  private toSay: SyncEvent[] = []
  /**
   * The server's last refusal for want of room (its disk, or the namespace's quota), while a file is still left
   * for it: passes push one file at a time, smallest first (push-without-room.ts), until every file goes again.
   */
  private roomless?: NoSpaceError
  /** The server refused this client as too old (its protocol is served read-only, or it cannot read an entry): its passes send nothing more. */
  outdated?: ClientTooOldError
  /** The newer client version last said. */
  private saidNewer?: string
  /** Nested synced folders already reported (once per syncer: they are skipped at every pass). */
  private readonly saidNested = new Set<string>()
  private readonly meter: TransferMeter

  constructor(
    readonly folder: SyncFolder,
    readonly client: JournalClient,
    private readonly options: SyncerOptions,
  ) {
    client.keepTreesIn(folder.store)
    this.meter = new TransferMeter(options.onTransfer)
    client.reportChunks((direction, bytes) => this.meter.moved(direction, bytes))
    this.known = this.load()
  }

  private load(): Known {
    const state = this.folder.loadState()
    return {state, planner: new IncrementalPlanner(state), holds: new Holds(state, this.folder.deleteGuard)}
  }

  /** Runs a pass after any pass already running. */
  pass(options: PassOptions = {}): Promise<PassSummary> {
    const run = this.running
      .then(() => this.passEvenIfFull(options))
      .finally(() => {
        this.sayHeldAndBlocked()
        this.sayNewerClient()
      })
    this.running = run.catch(() => {})
    return run
  }

  /**
   * A pass; when this device's disk is full, a second one that sends the local changes all the same, its chunks
   * held in memory (sending needs no space here), and names what it could not write here ("the disk is full").
   */
  private async passEvenIfFull(options: PassOptions): Promise<PassSummary> {
    try {
      return await this.passAndSave(options)
    } catch (error) {
      // The server's disk or quota full is the server's to solve: no pass with chunks in memory would help.
      const fullHere = NoSpaceError.from(error)?.onServer === false
      if (!this.folder.store.failed && !fullHere) throw error
      await this.forgetUnsaved()
      if (!fullHere) throw error
      log('the disk is full (%s): sending with the chunks in memory', (error as Error).message)
    }
    const {store} = this.folder
    store.keepInMemory(SEND_WITHOUT_DISK_BYTES)
    let summary: PassSummary | undefined
    try {
      summary = (await this.runPass(options, {hashAgainNextScan: true})).summary
      await this.state.save()
      return {...summary, diskFull: true}
    } catch (error) {
      await this.forgetUnsaved()
      const sent = summary ? summary.uploaded + summary.deleted + summary.moved : 0
      if (sent === 0 || NoSpaceError.from(error)?.onServer !== false) throw error
      // The server has them: the next pass finds them there ("unchanged") and records them, sending nothing again.
      throw new NoSpaceError(
        `no space left on this device: ${sent} local ${sent === 1 ? 'change was' : 'changes were'} sent, but could not be recorded here; free some space and run again`,
        {cause: error},
      )
    } finally {
      store.dropMemory()
    }
  }

  /** A pass, then its one save; a full pass that left nothing to do also marks the folder clean. */
  private async passAndSave(options: PassOptions): Promise<PassSummary> {
    const {summary, settled} = await this.runPass(options)
    await this.state.save()
    if (settled && !this.state.hasPendingWrites && !existsSync(this.folder.layout.clean)) await this.folder.markClean(this.state)
    return summary
  }

  /**
   * After a local write failed: what was not saved is forgotten, as by a restart. The store takes chunks again;
   * records name only durable chunks again; a commit the server took but this device could not record is found
   * again at the next pass (the server answers "unchanged"), never sent twice.
   */
  private async forgetUnsaved(): Promise<void> {
    await this.folder.store.recover()
    this.committed = []
    this.known = this.load()
  }

  /** Runs `work` once no pass is running, and holds the next pass until it is done (a device's garbage collection). */
  between<T>(work: () => Promise<T>): Promise<T> {
    const run = this.running.then(work)
    this.running = run.catch(() => {})
    return run
  }

  /** Resolves when no pass is running (nor queued). */
  async idle(): Promise<void> {
    let seen
    do {
      seen = this.running
      await seen
    } while (seen !== this.running)
  }

  private readonly now = () => this.options.now?.() ?? new Date()

  /** Says this pass's held and blocked reports, each once (a pass run again after a full disk may find them twice). */
  private sayHeldAndBlocked(): void {
    const said = new Set<string>()
    for (const event of this.toSay) {
      const key = JSON.stringify(event)
      if (said.has(key)) continue
      said.add(key)
      this.emit(event)
    }
    this.toSay = []
  }

  /** The server refused this client as too old (to write, or to read further): said once; its passes send nothing more. */
  refusedAsTooOld(error: ClientTooOldError): void {
    if (!this.outdated) this.options.onNotice?.({type: 'client-too-old', message: error.message})
    this.outdated = error
  }

  /** Says, once per version, that the server knows a newer client than this one. */
  private sayNewerClient(): void {
    const version = this.client.newerClient
    if (version === undefined || version === this.saidNewer) return
    this.saidNewer = version
    this.options.onNotice?.({type: 'newer-client', version, command: updateCommand(version)})
  }

  private emit(event: SyncEvent): void {
    this.options.onEvent?.(event)
  }

  /** The pass itself, its saves deferred (FolderState.savesDeferred): the caller saves once, at the end. */
  private async runPass(options: PassOptions, scanning: {hashAgainNextScan?: boolean} = {}): Promise<{summary: PassSummary; settled: boolean}> {
    this.state.savesDeferred = true
    try {
      return await this.runPassDeferred(options, scanning)
    } finally {
      this.state.savesDeferred = false
    }
  }

  private async runPassDeferred(options: PassOptions, scanning: {hashAgainNextScan?: boolean}): Promise<{summary: PassSummary; settled: boolean}> {
    const {folder, state, client} = this
    const {planner} = this.known
    folder.checkInPlace()
    const decided = await takeDecisions(folder.layout.decisions)
    if (decided) {
      this.holds.approve(decided.approve)
      this.holds.restore(decided.restore)
    }
    const before = this.rules
    const rules = (this.rules = await loadIgnoreRules(folder.root, before))
    // New rules can change what is tracked anywhere in the folder: the whole folder is scanned again.
    const paths = before && rules !== before ? undefined : options.paths
    const scanNow = () =>
      scanFolder(folder.root, folder.store, state, {
        rules,
        kindRules: folder.kindRules,
        // A sub-tree folder's paths go with its prefix: the whole path must pass the protocol's rules.
        unsyncable: (path) => client.unsendable(path),
        paths,
        ...scanning,
        onProgress: (done, total) => this.options.onProgress?.('scan', done, total),
      })
    let scan = await scanNow()
    // Skipped for a pass that sends: read after its commits unless they directly follow the cursor (catchUp).
    let behind = options.pull === 'unless-sending' && !options.page && planner.plan().some(isPushAction)
    const pulled: PullResult =
      (options.pull === false || behind) && !options.page
        ? {changed: [], head: state.cursor, refused: [], deletedBy: new Map()}
        : await pull(state, folder.store, client, options.page)
    if (pulled.stoppedBy) this.refusedAsTooOld(pulled.stoppedBy)
    for (const path of scan.nested.filter((p) => !this.saidNested.has(p))) {
      this.saidNested.add(path)
      this.toSay.push({direction: 'up', type: 'nested', path})
    }
    // Remote paths this device ignores, or that are inside a nested synced folder here, are followed in the remote tree, never downloaded.
    const nestedFolderOf = nestedFolderFinder(folder.root)
    for (const path of pulled.changed) {
      if (!state.get(path)?.ignored && (rules.ignores(path) || nestedFolderOf(path) !== undefined)) state.update(path, {ignored: true})
    }
    const summary: PassSummary = {
      scan,
      pull: pulled,
      uploaded: 0,
      downloaded: 0,
      deleted: 0,
      moved: 0,
      merged: 0,
      conflicts: [],
      pending: [],
      held: [],
      skipped: [],
      blocked: [],
      deferred: [],
    }
    const judge = {
      readOnly: state.readOnlyAccess === client.accessKey,
      folderEmpty: () => folderIsEmpty(folder.root, rules),
      deletedBy: pulled.deletedBy,
    }
    const heldBefore = new Set(state.held.map((h) => h.path))
    const deferred = options.deletionsOf === 'paths' ? deferredDeletion(paths, heldBefore) : () => false
    const judged = (actions: Action[]) => actions.filter((a) => !deferred(a))
    // Not for a pass told its paths (the daemon's batch waited for quiet), nor a read-only device (it sends nothing).
    const looks =
      paths || options.deletionsOf === 'paths' || judge.readOnly
        ? 0
        : await settleDeletions({
            deletions: () => planner.plan().filter((a) => a.type === 'delete-remote' && !heldBefore.has(a.path)).length,
            look: async () => {
              scan = await scanNow()
              summary.scan = scan
            },
            onWait: (deletions) => this.options.onProgress?.('settle', 0, deletions),
          })
    let left: Action[] = []
    this.holds.beginPass()
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const actions = planner.plan()
      // Deferred deletions are neither judged nor carried out in this pass.
      const considered = judged(actions)
      if (round === 0 && looks === 0 && this.holds.shrinking(considered)) {
        const deletions = considered.filter((a) => a.type === 'delete-remote').length
        this.options.onProgress?.('settle', 0, deletions)
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
        this.options.onProgress?.('settle', deletions, deletions)
      }
      this.holds.judge(considered, judge)
      const skippedPaths = new Set(summary.skipped.map((s) => s.path))
      const wanted = considered.filter((a) => a.type === 'record' || (!skippedPaths.has(a.path) && !this.holds.why(a)))
      const moving = this.lane ? await this.lane.deferred(wanted, state) : undefined
      const todo = moving ? wanted.filter((a) => !moving.has(a.path)) : wanted
      if (todo.length === 0 && behind) {
        // Nothing was sent after all (held, or deferred to the big lane): the journal is read now, and planned.
        behind = false
        await this.pullInto(summary)
        continue
      }
      if (todo.length === 0) {
        left = actions
        break
      }
      await this.apply(todo, summary)
      this.holds.carriedOut(todo)
      // What came in between our commits is planned in the next round, not left for a pass that may not come.
      if (behind && this.committed.length === 0) await this.pullInto(summary)
      behind = false
      await this.catchUp(options, summary)
      judge.readOnly = state.readOnlyAccess === client.accessKey
      left = planner.plan().filter((a) => a.type !== 'record')
      this.holds.judge(judged(left), judge)
    }
    summary.deferred = left.filter(deferred).map((a) => a.path)
    summary.held = this.holds.held(judged(left))
    summary.pending = left.filter((a) => deferred(a) || !this.holds.why(a))
    await this.recordHeld(summary.held)
    await this.catchUp(options, summary)
    await this.recordBlocked(summary, paths)
    // A full pass that left nothing to do: `sync once` can tell the next one has nothing to do either.
    const clean =
      summary.pending.length === 0 && summary.held.length === 0 && summary.skipped.length === 0 && summary.blocked.length === 0 && scan.unreadable.length === 0
    return {summary, settled: !paths && options.pull !== false && clean && !scanning.hashAgainNextScan}
  }

  /**
   * Our own commits are in the journal now. JIDs have no gaps, so when ours directly follow the cursor nothing
   * else came in between and the cursor moves past them without a request; otherwise read up to them.
   */
  private async catchUp(options: PassOptions, summary: PassSummary): Promise<void> {
    const {state} = this
    if (this.committed.length === 0) return
    const jids = this.committed.sort((x, y) => x - y)
    this.committed = []
    if (jids.every((jid, i) => jid === state.cursor + 1 + i)) {
      state.cursor = jids.at(-1)!
      summary.pull.head = Math.max(summary.pull.head, state.cursor)
      await state.save()
    } else if (options.pull !== false) await this.pullInto(summary)
  }

  /** Reads the journal from the cursor; what came is planned next. */
  private async pullInto(summary: PassSummary): Promise<void> {
    const after = await pull(this.state, this.folder.store, this.client)
    summary.pull.head = after.head
    summary.pull.changed.push(...after.changed)
    summary.pull.refused.push(...after.refused)
    if (after.stoppedBy) this.refusedAsTooOld(after.stoppedBy)
    for (const [path, device] of after.deletedBy) summary.pull.deletedBy.set(path, device)
  }

  private async apply(actions: Action[], summary: PassSummary): Promise<void> {
    const {folder, state, client} = this
    for (const action of actions) if (action.type === 'record') this.record(action.path, action.version)
    await state.save()

    const remote = actions.filter((a): a is RemoteAction => a.type === 'download' || a.type === 'delete-local' || a.type === 'move-local')
    if (remote.length > 0) {
      this.options.onProgress?.('apply', 0, remote.length)
      const downloads = new Map(remote.flatMap((a) => (a.type === 'download' ? [[a.path, a] as const] : [])))
      this.meter.start(
        'down',
        downloads.size,
        [...downloads.values()].reduce((sum, a) => sum + sizeOf(a.remote.manifest), 0),
      )
      const applied = await applyRemote(remote, folder.root, state, folder.store, client, (action) => {
        if (action.type === 'download') this.meter.fileDone(sizeOf(action.remote.manifest))
      }).finally(() => this.meter.end())
      this.options.onProgress?.('apply', remote.length, remote.length)
      const arriving = new Map(remote.flatMap((a) => (a.type === 'delete-local' ? [] : [[a.path, a] as const])))
      const clashes = await resolveClashes(applied.skipped, arriving, {
        root: folder.root,
        state,
        store: folder.store,
        device: this.options.device,
        now: this.now,
      })
      for (const {path, copy} of clashes) {
        summary.conflicts.push(copy)
        this.emit({direction: 'both', type: 'conflict', path, copy})
      }
      // A download whose way was cleared is tried again in the next round of this pass.
      const cleared = (path: string) => clashes.some((c) => c.path === path || path.startsWith(`${c.path}/`))
      summary.skipped.push(...applied.skipped.filter((s) => !cleared(s.path)))
      const kept = state.keptPending()
      for (const action of applied.done) {
        if (action.type === 'download') summary.downloaded++
        else if (action.type === 'delete-local') summary.deleted++
        else summary.moved++
        this.emit({
          direction: 'down',
          type: action.type,
          path: action.path,
          ...(action.type === 'move-local' ? {from: action.from} : {}),
          jid: action.remote.jid,
          ...(action.type !== 'move-local' && kept.has(action.path) ? {kept: true as const} : {}),
        })
      }
      // Files moved aside: what this round planned to send is planned again from the new records (what it
      // downloaded is done, and said above).
      if (clashes.length > 0) return
    }

    for (const action of actions.filter((a): a is MergeAction => a.type === 'merge')) {
      const resolution = await resolveConflict(action, {
        root: folder.root,
        state,
        store: folder.store,
        client,
        device: this.options.device,
        now: this.now,
        kindRules: folder.kindRules,
      })
      if (resolution.type === 'merged') summary.merged++
      if (resolution.type === 'conflict') summary.conflicts.push(resolution.copy)
      if (resolution.type === 'skipped') summary.skipped.push({path: action.path, reason: resolution.reason})
      else this.emit({direction: 'both', type: resolution.type, path: action.path, ...(resolution.type === 'conflict' ? {copy: resolution.copy} : {})})
    }

    const local = actions.filter(isPushAction)
    // Refused once as too old: the changes stay planned (sync status lists them) and go once this client is updated.
    if (local.length > 0 && !this.outdated) {
      this.options.onProgress?.('send', 0, local.length)
      const uploads = local.flatMap((a) => (a.type === 'upload' ? [a.manifest] : []))
      this.meter.start(
        'up',
        uploads.length,
        uploads.reduce((sum, manifest) => sum + sizeOf(manifest), 0),
      )
      let pushed
      try {
        pushed = this.roomless
          ? await this.pushWithoutRoom(local, this.roomless)
          : await push(local, state, folder.store, client, this.options.device, this.lane?.delivered)
        // Files count as sent once committed (the last step of a push).
        for (const {action} of pushed.committed) if (action.type === 'upload') this.meter.fileDone(sizeOf(action.manifest))
      } catch (error) {
        if (error instanceof ClientTooOldError && error.data.readOnly === true) return this.refusedAsTooOld(error)
        const full = NoSpaceError.from(error)
        if (full?.onServer) pushed = await this.pushWithoutRoom(local, full)
        else if (error instanceof ForbiddenError && error.data.access === 'read-only') {
          // Learned once, kept: the next plans keep this device's changes here instead of sending them.
          await state.setReadOnlyAccess(client.accessKey)
          return
        } else throw error
      } finally {
        this.meter.end()
      }
      this.options.onProgress?.('send', local.length, local.length)
      this.committed.push(...pushed.created)
      summary.skipped.push(...pushed.refused.map((refused) => ({...refused, side: 'up' as const})))
      for (const {action, jid} of pushed.committed) {
        if (action.type === 'upload') summary.uploaded++
        else if (action.type === 'delete-remote') summary.deleted++
        else summary.moved++
        this.emit({direction: 'up', type: action.type, path: action.path, ...(action.type === 'move-remote' ? {from: action.from} : {}), jid})
      }
    }
  }

  /** Sends what fits on a server without room for everything; remembers whether a file is still left for want of it. */
  private async pushWithoutRoom(local: PushAction[], full: NoSpaceError): Promise<PushOutcome> {
    const {state, folder, client} = this
    const pushed = await pushWithoutRoom(local, full, {state, store: folder.store, client, device: this.options.device, delivered: this.lane?.delivered})
    this.roomless = pushed.noRoom
    return pushed
  }

  /** Keeps the held changes in the state (for status and the commands that decide on them); reports new holds once. */
  private async recordHeld(held: HeldChange[]): Promise<void> {
    const {state} = this
    const before = new Set(state.held.map((h) => `${h.why}\u0000${h.path}`))
    const fresh = new Set(held.filter((h) => !before.has(`${h.why}\u0000${h.path}`)).map((h) => h.path))
    if (fresh.size === 0 && held.length === state.held.length) return
    // A group that grew is reported again, with its whole count.
    for (const group of describeHolds(held)) if (group.paths.some((p) => fresh.has(p))) this.toSay.push(group.event)
    state.held = held
    await state.save()
  }

  /** Keeps the paths that cannot be synced in the state, and reports those not reported before. */
  private async recordBlocked(summary: PassSummary, scanned: readonly string[] | undefined): Promise<void> {
    const {state} = this
    const inScope = scanned ? coveredBy(scanned) : () => true
    summary.blocked = blockedAfterPass(state.blocked, summary, inScope)
    const news = newlyBlocked(state.blocked, summary.blocked)
    if (news.length === 0 && summary.blocked.length === state.blocked.length) return
    for (const {path, reason, side} of news) this.toSay.push({direction: side === 'here' || side === 'up' ? 'up' : 'down', type: 'blocked', path, reason})
    state.blocked = summary.blocked
    await state.save()
  }

  /** Agrees on a version; a path deleted on both sides and gone from disk is forgotten altogether. */
  private record(path: string, version: Extract<Action, {type: 'record'}>['version']): void {
    const current = this.state.get(path)
    if (!current?.local && (!version || isDeleted(version)) && (!current?.remote || isDeleted(current.remote))) {
      this.state.set(path, {})
      return
    }
    this.state.update(path, {base: version})
  }
}
