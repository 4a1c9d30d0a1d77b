/**
 * Counts a pass's transfers for a progress display: in one direction at a time, files and bytes done of the
 * totals the plan gives (the files to receive or send, their sizes). Bytes are the chunk bytes moved (as the
 * journal client reports each pack) or, when more, the sizes of the files finished (chunks already on the other
 * side, or sent inside a commit, move none): so the count only grows, and ends at the total.
 */
export type Direction = 'up' | 'down'

export interface TransferProgress {
  direction: Direction
  files: number
  filesTotal: number
  bytes: number
  bytesTotal: number
  /** The last report of this transfer. */
  done: boolean
}

export class TransferMeter {
  private current?: {progress: TransferProgress; moved: number; finished: number}

  constructor(private readonly report?: (progress: TransferProgress) => void) {}

  start(direction: Direction, filesTotal: number, bytesTotal: number): void {
    this.current = {progress: {direction, files: 0, filesTotal, bytes: 0, bytesTotal, done: false}, moved: 0, finished: 0}
    this.emit()
  }

  /** Chunk bytes that crossed the wire; those of another direction (a tree read during a send) are not this transfer's. */
  moved(direction: Direction, bytes: number): void {
    if (this.current?.progress.direction !== direction) return
    this.current.moved += bytes
    this.emit()
  }

  fileDone(size: number): void {
    if (!this.current) return
    this.current.progress.files++
    this.current.finished += size
    this.emit()
  }

  end(): void {
    if (!this.current) return
    this.current.progress.done = true
    this.emit()
    this.current = undefined
  }

  private emit(): void {
    const {progress, moved, finished} = this.current!
    const all = progress.files === progress.filesTotal && progress.done
    progress.bytes = all ? progress.bytesTotal : Math.max(progress.bytes, Math.min(progress.bytesTotal, Math.max(moved, finished)))
    this.report?.({...progress})
  }
}
