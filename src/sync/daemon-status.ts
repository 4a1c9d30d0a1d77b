/**
 * What a running daemon is doing, for `sync status`: `.sync/daemon-status.json`, replaced atomically (never
 * fsynced: it says how things are now, nothing depends on it after a crash), at most every quarter second while
 * the state stays the same and at once when it changes; removed when the daemon stops. A file left by a daemon
 * that was killed is not believed: only the pid holding the folder's lock is.
 */
import {readFile, unlink} from 'node:fs/promises'
import {daemonHolder, folderHolder} from '../folder/folder-lock.js'
import type {FolderLayout} from '../folder/layout.js'
import {logger} from '../util/logger.js'
import {writeFileAtomic} from '../util/write-file-atomic.js'
import type {Phase} from './syncer.js'

const log = logger('daemon')

export type DaemonState = 'idle' | 'scanning' | 'receiving' | 'sending' | 'paused' | 'offline'

export interface DaemonActivity {
  pid: number
  state: DaemonState
  /** Since when (ms since the epoch) the daemon is in this state. */
  since: number
  /** Scanning: files read so far of `total`; receiving and sending: changes done of `total`. */
  done?: number
  total?: number
  /** The address of its web page (`sync daemon --ui`), without the key (.sync/ui-link has the link, for its user only). */
  ui?: string
}

const PHASE_STATE: Record<Phase, DaemonState> = {scan: 'scanning', settle: 'sending', apply: 'receiving', send: 'sending'}

export class DaemonStatusFile {
  private file?: string
  private latest?: DaemonActivity
  private written?: DaemonActivity
  private timer?: NodeJS.Timeout
  private writing: Promise<void> = Promise.resolve()
  private ui?: string

  constructor(private readonly everyMs = 250) {}

  /** Starts writing to `file` (until then, updates are only kept); resolves once the latest state is written there. */
  async start(file: string): Promise<void> {
    this.file = file
    clearTimeout(this.timer)
    this.timer = undefined
    this.writing = this.writing.then(() => this.write())
    await this.writing
  }

  /** A Syncer's `onProgress`. */
  readonly progress = (phase: Phase, done: number, total: number): void => this.set(PHASE_STATE[phase], {done, total})

  set(state: DaemonState, counts: {done?: number; total?: number} = {}): void {
    const changed = this.latest?.state !== state
    this.latest = {pid: process.pid, state, since: changed || !this.latest ? Date.now() : this.latest.since, ...counts}
    if (this.ui) this.latest.ui = this.ui
    this.flush(changed ? 0 : this.everyMs)
  }

  /** What the daemon is doing now (its web page shows it). */
  get current(): DaemonActivity | undefined {
    return this.latest
  }

  /** Says from now on where the daemon's web page is. */
  setUi(url: string): void {
    this.ui = url
    if (this.latest) this.set(this.latest.state, {done: this.latest.done, total: this.latest.total})
  }

  /** Stops writing and removes the file. */
  async stop(): Promise<void> {
    clearTimeout(this.timer)
    await this.writing
    if (this.file) await unlink(this.file).catch(() => {})
    this.file = undefined
  }

  private flush(afterMs: number): void {
    if (!this.file) return
    // A pending write carries the latest state whenever it happens: a second one is needed only to come sooner.
    if (this.timer && afterMs > 0) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.writing = this.writing.then(() => this.write())
    }, afterMs)
  }

  private async write(): Promise<void> {
    const {file, latest} = this
    if (!file || !latest || latest === this.written) return
    try {
      await writeFileAtomic(file, `${JSON.stringify(latest)}\n`, {durable: false})
      this.written = latest
    } catch (error) {
      log('writing %s: %s', file, (error as Error).message)
    }
  }
}

/** What the daemon syncing the folder is doing, when one is (and has said). */
export async function readDaemonStatus(layout: FolderLayout): Promise<DaemonActivity | undefined> {
  const holder = await folderHolder(layout.syncDir)
  if (holder === undefined) return undefined
  try {
    const activity = JSON.parse(await readFile(layout.daemonStatus, 'utf8')) as DaemonActivity
    return activity.pid === holder ? activity : undefined
  } catch {
    return undefined
  }
}

/**
 * The pid of the daemon syncing the folder, if one does: the lock says so from the daemon's first instant (before
 * its status file is written); a daemon of an earlier version is known by its status file.
 */
export async function daemonSyncing(layout: FolderLayout): Promise<number | undefined> {
  return (await daemonHolder(layout.syncDir)) ?? (await readDaemonStatus(layout))?.pid
}
