/**
 * Appends compressed blocks to one pack file. A pack file is a tar archive (ustar, headers as tar-stream writes
 * them: tar-header.ts): one entry per block, named by its sequence number, holding the block's compressed
 * bytes. `tar tvf` lists it. Headers are 512 bytes and entries are padded to 512, so a block's offset is known
 * before it is written. Entries queued while a write is under way go to the file together in the next
 * `writev`, headers, blocks and padding as they are, without joining them first.
 *
 * Like restic's packer, a writer that failed once is broken and refuses further use: bytes after a failed
 * write cannot be trusted to be where the index would say.
 */
import {open, type FileHandle} from 'node:fs/promises'
import path from 'node:path'
import {PackBrokenError} from '../errors/index.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {crashPoint, isArmed} from '../util/crash-point.js'
import {TAR_BLOCK, tarFileHeader} from './tar-header.js'

/** Padding for any entry, and the end-of-archive marker (two zero blocks). */
const ZEROS = Buffer.alloc(2 * TAR_BLOCK)
/** Start writing back to disk every this many bytes, so the fsync at a flush has little left to do. */
const BACKGROUND_SYNC_BYTES = 8 * 1024 * 1024

export function tarPadded(size: number): number {
  return Math.ceil(size / TAR_BLOCK) * TAR_BLOCK
}

/** An entry queued for the file: where its block sits, and a promise of the moment it is written. */
export interface QueuedBlock {
  offset: number
  length: number
  written: Promise<void>
}

export class PackFileWriter {
  private tail: Promise<void> = Promise.resolve()
  /** The entries not yet handed to a write: their pieces, from file offset `queueAt`, and the write they wait for. */
  private queue: Buffer[] = []
  private queueAt = 0
  private nextWrite?: Promise<void>
  private failure: unknown
  private blocks = 0
  private unsynced = 0
  private backgroundSync: Promise<void> = Promise.resolve()
  /** Bytes the file will hold once every queued block is written. */
  size = 0

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates a new pack file (never reuses one) and makes its name durable in the folder. */
  static async create(file: string): Promise<PackFileWriter> {
    const handle = await open(file, 'wx')
    await fsyncDir(path.dirname(file))
    return new PackFileWriter(file, handle)
  }

  /**
   * Queues the bytes of `parts`, one after another, as the next entry: where they will sit in the file, and when
   * they are there. The parts must not change until then.
   */
  append(parts: readonly Buffer[]): QueuedBlock {
    this.throwIfBroken()
    const length = parts.reduce((sum, part) => sum + part.length, 0)
    const entryStart = this.size
    this.size += TAR_BLOCK + tarPadded(length)
    const name = String(this.blocks++).padStart(8, '0')
    if (this.queue.length === 0) this.queueAt = entryStart
    this.queue.push(tarFileHeader(name, length), ...parts, ZEROS.subarray(0, tarPadded(length) - length))
    return {offset: entryStart + TAR_BLOCK, length, written: this.writeQueued()}
  }

  /** The write that will take the queue: started once the writes before it are done. */
  private writeQueued(): Promise<void> {
    if (!this.nextWrite) {
      const write = this.tail.then(() => {
        this.throwIfBroken()
        const parts = this.queue
        this.queue = []
        this.nextWrite = undefined
        return this.writeEntries(parts, this.queueAt)
      })
      this.nextWrite = write
      this.tail = write.catch((error) => {
        this.failure ??= error
      })
    }
    return this.nextWrite
  }

  /** Waits for the queued blocks and makes them durable. */
  async sync(): Promise<void> {
    await this.tail
    await this.backgroundSync
    this.throwIfBroken()
    await this.handle.sync()
    this.unsynced = 0
  }

  /** Writes the end-of-archive marker, syncs and closes. */
  async close(): Promise<void> {
    await this.tail
    await this.backgroundSync
    try {
      if (this.failure === undefined) {
        await this.writeAll([ZEROS], this.size)
        await this.handle.sync()
      }
    } finally {
      await this.handle.close()
    }
  }

  private async writeEntries(parts: Buffer[], at: number): Promise<void> {
    const bytes = await this.writeAll(parts, at)
    this.unsynced += bytes
    if (this.unsynced >= BACKGROUND_SYNC_BYTES) {
      this.unsynced = 0
      this.backgroundSync = this.backgroundSync
        .then(() => this.handle.datasync())
        .catch((error) => {
          this.failure ??= error
        })
    }
  }

  /** Writes `parts` one after another from `at`; returns how many bytes that was. */
  private async writeAll(parts: Buffer[], at: number): Promise<number> {
    const total = parts.reduce((sum, part) => sum + part.length, 0)
    if (isArmed('mid-pack') && total > 1) {
      await this.handle.write(Buffer.concat(parts), 0, total >> 1, at)
      crashPoint('mid-pack')
    }
    let done = (await this.handle.writev(parts, at)).bytesWritten
    if (done < total) {
      // A short write (rare): the rest, joined.
      const rest = Buffer.concat(parts).subarray(done)
      while (done < total) done += (await this.handle.write(rest, done - (total - rest.length), total - done, at + done)).bytesWritten
    }
    return total
  }

  private throwIfBroken(): void {
    if (this.failure !== undefined) {
      throw new PackBrokenError(`pack ${this.file} is broken after a failed write: ${(this.failure as Error).message}`, {}, {cause: this.failure})
    }
  }
}
