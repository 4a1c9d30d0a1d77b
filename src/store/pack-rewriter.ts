/**
 * Writes chunks into new pack files beside a store (garbage collection's repack, collect-garbage.ts): blocks
 * sealed and compressed as the store seals them, appended one at a time, packs rotated past the pack limit.
 * `finish` makes every pack durable (fsync, end-of-archive marker) before anyone may index them; until then
 * they are unindexed files, which the next collection deletes.
 */
import path from 'node:path'
import {ChunkIndex} from './chunk-index.js'
import {BlockBuilder} from './block-builder.js'
import {compressBlock} from './block-compression.js'
import {packFileName} from './chunk-store.js'
import {blockIsFull, PACK_ROTATE_BYTES} from './limits.js'
import {PackFileWriter} from './pack-file-writer.js'
import {crashPoint} from '../util/crash-point.js'
import {fsyncDir} from '../util/fsync-dir.js'

export class PackRewriter {
  /** Where each chunk written went: the new index entries. */
  readonly written = new ChunkIndex()
  private readonly builder = new BlockBuilder()
  /** The ids and lengths of the chunks in the open block. */
  private readonly keys: string[] = []
  private readonly lengths: number[] = []
  private pack?: {number: number; writer: PackFileWriter}
  /** Pack numbers this rewriter made. */
  readonly packs: number[] = []

  constructor(
    private readonly packsDir: string,
    private readonly claimPack: () => Promise<number>,
  ) {}

  /** Adds a chunk (already checked against `key`, its id as hash.ts's key); writes a block when one is full. */
  async add(key: string, chunk: Uint8Array): Promise<void> {
    this.keys.push(key)
    this.lengths.push(chunk.length)
    this.builder.add(chunk, 0, chunk.length)
    if (blockIsFull(this.builder.byteLength, this.builder.count)) await this.seal()
  }

  /** Writes the last block, closes every pack (synced) and syncs their folder. */
  async finish(): Promise<void> {
    await this.seal()
    await this.pack?.writer.close()
    this.pack = undefined
    await fsyncDir(this.packsDir)
  }

  /** Closes what is open without making it durable (after a failure: the files are garbage). */
  async abandon(): Promise<void> {
    await this.pack?.writer.close().catch(() => undefined)
    this.pack = undefined
  }

  private async seal(): Promise<void> {
    if (this.builder.count === 0) return
    const {plain, header} = this.builder.build()
    const parts = await compressBlock(plain)
    const pack = await this.packWithRoom(parts.reduce((sum, part) => sum + part.length, 0))
    const block = pack.writer.append(parts)
    await block.written
    crashPoint('gc-mid-repack')
    this.builder.recycle(plain)
    let offset = header
    for (let i = 0; i < this.keys.length; i++) {
      const length = this.lengths[i]
      this.written.add(this.keys[i], {pack: pack.number, blockOffset: block.offset, blockLength: block.length, offset, length})
      offset += length
    }
    this.keys.length = 0
    this.lengths.length = 0
  }

  private async packWithRoom(bytes: number): Promise<{number: number; writer: PackFileWriter}> {
    if (this.pack && this.pack.writer.size + bytes + 1024 > PACK_ROTATE_BYTES) {
      await this.pack.writer.close()
      this.pack = undefined
    }
    if (!this.pack) {
      const number = await this.claimPack()
      this.pack = {number, writer: await PackFileWriter.create(path.join(this.packsDir, packFileName(number)))}
      this.packs.push(number)
    }
    return this.pack
  }
}
