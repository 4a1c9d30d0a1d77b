/**
 * Collects the paths the watcher reports and hands them over as one batch after a quiet time (the debounce), or
 * sooner when the writes look finished. inotify says that a file was modified, not that its writer is done
 * (IN_CLOSE_WRITE reaches neither node's fs.watch nor @parcel/watcher), so a batch goes early only when each of
 * its paths is a small, non-empty regular file whose stat (size, mtime, ctime, inode) is the same at its last
 * event and SETTLE_MS later. A program saving in place truncates and then writes: the empty file in between
 * waits the whole debounce, as do big files (written in many pieces), folders and deletions (a longer quiet
 * time, so that an `rm -rf` reaches the delete guard as one pass). A file caught between two writes all the
 * same is sent twice: its next event makes another batch; no version is lost.
 */
import {lstatSync, type Stats} from 'node:fs'
import path from 'node:path'

/** How long a written file's stat must stay as it was for its batch to go before the debounce ends. */
export const SETTLE_MS = 2
/** Files up to this size are written in one go by most programs; larger ones wait for the debounce. */
export const SETTLED_MAX_BYTES = 64 * 1024
/** Batches of more paths wait for the debounce: a burst (a checkout, a copied folder) goes as one pass. */
const SETTLED_MAX_PATHS = 16

export interface ChangeBatchOptions {
  /** Quiet time after an event before the batch goes. */
  debounceMs: number
  /** Quiet time when a path of the batch is gone. */
  deletionDebounceMs: number
  onBatch: (paths: string[]) => void
  /**
   * Whether a path's stat says it is as the folder state records it, clean (the scan would read nothing and find
   * nothing): its event is this device's own write (a download renamed into place) and makes no batch. A path
   * already in the batch is kept whatever its stat.
   */
  asRecorded?: (relative: string, stat: Stats) => boolean
}

const sameStat = (a: Stats, b: Stats | undefined) =>
  b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino

/** A small regular file with bytes in it: what a finished write of a recipe leaves. */
const mayBeWritten = (stat: Stats | undefined): stat is Stats => stat !== undefined && stat.isFile() && stat.size > 0 && stat.size <= SETTLED_MAX_BYTES

export class ChangeBatch {
  /** Each path of the batch, with its stat at its last event (undefined: gone). */
  private readonly paths = new Map<string, Stats | undefined>()
  private deleting = false
  private debounce?: NodeJS.Timeout
  private settle?: NodeJS.Timeout

  constructor(
    private readonly root: string,
    private readonly options: ChangeBatchOptions,
  ) {}

  /** Paths that changed (relative, with `/`); none: a pass is wanted all the same (a rules file changed). */
  add(paths: readonly string[]): void {
    let news = paths.length === 0 || this.debounce === undefined
    let kept = 0
    for (const relative of paths) {
      const stat = this.stat(relative)
      if (stat && !this.paths.has(relative) && this.options.asRecorded?.(relative, stat)) continue
      kept++
      const before = this.paths.get(relative)
      // A path told again as it was (a deletion a daemon's scan hands back while it waits here) is no new activity.
      news ||= !this.paths.has(relative) || (stat === undefined ? before !== undefined : !sameStat(stat, before))
      this.paths.set(relative, stat)
      this.deleting ||= stat === undefined
    }
    if (!news || (paths.length > 0 && kept === 0)) return
    this.cancel()
    this.debounce = setTimeout(() => this.flush(), this.deleting ? this.options.deletionDebounceMs : this.options.debounceMs)
    if (!this.deleting && this.paths.size <= SETTLED_MAX_PATHS && [...this.paths.values()].every(mayBeWritten)) {
      this.settle = setTimeout(() => {
        if ([...this.paths].every(([relative, stat]) => sameStat(stat!, this.stat(relative)))) this.flush()
      }, SETTLE_MS)
    }
  }

  /** Stops the timers: nothing is handed over until the next `add` (the daemon stops). */
  cancel(): void {
    clearTimeout(this.debounce)
    clearTimeout(this.settle)
    this.debounce = undefined
  }

  private flush(): void {
    this.cancel()
    const batch = [...this.paths.keys()]
    this.paths.clear()
    this.deleting = false
    this.options.onBatch(batch)
  }

  private stat(relative: string): Stats | undefined {
    return lstatSync(path.join(this.root, relative), {throwIfNoEntry: false})
  }
}
