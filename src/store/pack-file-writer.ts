/**
 * Appends compressed blocks to one pack file. A pack file is a tar archive (ustar, written by tar-stream):
 * one entry per block, named by its sequence number, holding the block's raw deflate bytes. `tar tvf` lists
 * it. Headers are 512 bytes and entries are padded to 512, so a block's offset is known before it is written.
 *
 * Like restic's packer, a writer that failed once is broken and refuses further use: bytes after a failed
 * write cannot be trusted to be where the index would say.
 */
import {open, type FileHandle} from 'node:fs/promises'
import path from 'node:path'
import tar from 'tar-stream'
import {SyncError} from '../errors/index.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {crashPoint, isArmed} from '../util/crash-point.js'

const TAR_BLOCK = 512
/** Start writing back to disk every this many bytes, so the fsync at a flush has little left to do. */
const BACKGROUND_SYNC_BYTES = 32 * 1024 * 1024

export function tarPadded(size: number): number {
  return Math.ceil(size / TAR_BLOCK) * TAR_BLOCK
}

class PackBrokenError extends SyncError {
  readonly code = 'E_PACK_BROKEN'
}

export class PackFileWriter {
  private readonly tarPack = tar.pack()
  private emitted: Buffer[] = []
  private emittedBytes = 0
  private waiting?: {bytes: number; resolve: () => void}
  private tail: Promise<void> = Promise.resolve()
  private failure: unknown
  private blocks = 0
  private unsynced = 0
  private backgroundSync: Promise<void> = Promise.resolve()
  /** Bytes the file will hold once every queued block is written. */
  size = 0

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
  ) {
    this.tarPack.on('data', (data: unknown) => {
      const bytes = data as Buffer
      this.emitted.push(bytes)
      this.emittedBytes += bytes.length
      if (this.waiting && this.emittedBytes >= this.waiting.bytes) this.waiting.resolve()
    })
  }

  /** Creates a new pack file (never reuses one) and makes its name durable in the folder. */
  static async create(file: string): Promise<PackFileWriter> {
    const handle = await open(file, 'wx')
    await fsyncDir(path.dirname(file))
    return new PackFileWriter(file, handle)
  }

  /** Writes `data` as the next entry (after those queued before it); resolves to where its bytes sit in the file. */
  async append(data: Buffer): Promise<{offset: number; length: number}> {
    this.throwIfBroken()
    const entryStart = this.size
    this.size += TAR_BLOCK + tarPadded(data.length)
    const name = String(this.blocks++).padStart(8, '0')
    this.tail = this.tail.then(() => this.writeEntry(name, data, entryStart)).catch((error) => {
      this.failure ??= error
    })
    await this.tail
    this.throwIfBroken()
    return {offset: entryStart + TAR_BLOCK, length: data.length}
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
        const end = await this.entryBytes(() => this.tarPack.finalize(), 2 * TAR_BLOCK)
        await this.writeAll(end, this.size)
        await this.handle.sync()
      }
    } finally {
      await this.handle.close()
    }
  }

  private async writeEntry(name: string, data: Buffer, at: number): Promise<void> {
    const expected = TAR_BLOCK + tarPadded(data.length)
    const bytes = await this.entryBytes(() => this.tarPack.entry({name, size: data.length, mtime: new Date(0)}, data), expected)
    if (bytes.length !== expected) {
      throw new PackBrokenError(`tar entry for block ${name} is ${bytes.length} bytes, expected ${expected}`)
    }
    await this.writeAll(bytes, at)
    this.unsynced += bytes.length
    if (this.unsynced >= BACKGROUND_SYNC_BYTES) {
      this.unsynced = 0
      this.backgroundSync = this.backgroundSync.then(() => this.handle.datasync()).catch((error) => {
        this.failure ??= error
      })
    }
  }

  /** Runs `emit` on the tar stream and collects the `expected` bytes it produces. */
  private async entryBytes(emit: () => void, expected: number): Promise<Buffer> {
    const produced = new Promise<void>((resolve) => {
      this.waiting = {bytes: expected, resolve}
    })
    emit()
    if (this.emittedBytes < expected) await produced
    this.waiting = undefined
    const bytes = Buffer.concat(this.emitted)
    this.emitted = []
    this.emittedBytes = 0
    return bytes
  }

  private async writeAll(bytes: Buffer, at: number): Promise<void> {
    if (isArmed('mid-pack') && bytes.length > 1) {
      await this.handle.write(bytes, 0, bytes.length >> 1, at)
      crashPoint('mid-pack')
    }
    let done = 0
    while (done < bytes.length) {
      const {bytesWritten} = await this.handle.write(bytes, done, bytes.length - done, at + done)
      done += bytesWritten
    }
  }

  private throwIfBroken(): void {
    if (this.failure !== undefined) {
      throw new PackBrokenError(`pack ${this.file} is broken after a failed write: ${(this.failure as Error).message}`, {}, {cause: this.failure})
    }
  }
}
