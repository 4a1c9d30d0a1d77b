/**
 * Garbage collection of a chunk store (docs/storage.md, Garbage collection): mark the chunks that retained
 * versions name (the caller's `mark`, over a snapshot of the index), then sweep: rewrite packs that are mostly
 * dead into new packs of their live chunks, and drop packs with nothing live. Crash-safe at every step, in
 * restic's order: the new packs are durable (fsync) before one LMDB transaction switches the index to them, and
 * old packs are deleted only after that; a crash leaves unindexed pack files, which the next collection deletes.
 *
 * Online: the caller's `exclusive` holds off everything that counts chunks present and then names them (commits,
 * uploads) for the switch only; inside it `markLate` marks what was committed since `mark`, and a pack that holds
 * a chunk this collection did not plan for (added since the snapshot, or marked late and not copied) is kept whole.
 */
import {unlink} from 'node:fs/promises'
import path from 'node:path'
import {keyToHex, sha256Key} from '../chunk/hash.js'
import {CorruptDataError} from '../errors/index.js'
import {crashPoint} from '../util/crash-point.js'
import {fsyncDir} from '../util/fsync-dir.js'
import {logger} from '../util/logger.js'
import type {ChunkIndex} from './chunk-index.js'
import {type ChunkStore, packFileName} from './chunk-store.js'
import {Marks} from './gc-marks.js'
import {ENTRY_BYTES, readLocation} from './index-entry.js'
import {choosePacks, listPacks, packUsage, type PackChoice, type PackFile, type PackUsage} from './pack-usage.js'
import {PackRewriter} from './pack-rewriter.js'

const debug = logger('gc')

export interface CollectOptions {
  /** Only report what would be reclaimed. */
  dryRun?: boolean
  /** Packs modified less than this long ago are left alone. */
  graceMs: number
  /** A pack whose live chunk bytes are under this fraction of its chunk bytes is rewritten. */
  rewriteBelow: number
}

export interface CollectHooks {
  /** Marks every chunk a retained version names. */
  mark(marks: Marks): Promise<void>
  /** Runs `work` with every writer of the store held off. */
  exclusive<T>(work: () => Promise<T>): Promise<T>
  /** Inside `exclusive`: marks the chunks of what was committed since `mark` ran. */
  markLate(marks: Marks): Promise<void>
}

export interface CollectReport {
  chunks: number
  liveChunks: number
  /** The marked chunks' bytes (uncompressed). */
  liveBytes: number
  packs: number
  rewrittenPacks: number
  deletedPacks: number
  /** Pack files the index did not name (left by a crash): deleted. */
  orphanPacks: number
  bytesBefore: number
  /** After the collection; with `dryRun`, the estimate. */
  bytesAfter: number
}

export async function collectGarbage(store: ChunkStore, hooks: CollectHooks, options: CollectOptions): Promise<CollectReport> {
  const started = Date.now()
  const settledBefore = started - options.graceMs
  // The pack being written would be out of reach until it fills (256 MiB): closed, it is one like the others.
  if (!options.dryRun) await hooks.exclusive(() => store.closePack())
  // The snapshot first: every pack it names, but the one being written after it, is closed. A dry run changes
  // nothing and may read the store's own view.
  const snapshot = options.dryRun ? store.readOnlySnapshot() : store.snapshot()
  const writing = store.writingPack
  const files = await listPacks(store.packsDir)
  const marks = new Marks(snapshot)
  await hooks.mark(marks)
  // A dry run leaves the pack being written open: it counts as closed, as a run would close it.
  const usage = packUsage(snapshot, marks)
  const choice = choosePacks(files, usage, {
    rewriteBelow: options.rewriteBelow,
    settledBefore,
    writing: options.dryRun ? undefined : writing,
  })
  const report = plannedReport(marks, usage, files, choice)
  debug('marked %d of %d chunks; rewriting %d packs, deleting %d', marks.size, marks.entries, choice.rewrite.size, choice.remove.size)
  if (options.dryRun) return report

  const rewriter = new PackRewriter(store.packsDir, () => store.claimPackNumber())
  try {
    await copyLive(store, snapshot, marks, choice.rewrite, rewriter)
    await rewriter.finish()
  } catch (error) {
    await rewriter.abandon()
    throw error
  }
  const doomed = await hooks.exclusive(async () => {
    await hooks.markLate(marks)
    let swept = new Set<number>()
    let kept: Buffer = Buffer.alloc(0)
    await store.switchIndex((current) => {
      swept = sweepable(current, snapshot, marks, rewriter.written, new Set([...choice.rewrite, ...choice.remove]))
      kept = keptEntries(current, rewriter.written, swept)
      return kept
    })
    // Unnamed packs: the swept ones and any left by a crash (settled: not a writer's that is on its way).
    const named = new Set<number>()
    for (let entry = 0; entry < kept.length / ENTRY_BYTES; entry++) named.add(readLocation(kept, entry).pack)
    const unnamed = (await listPacks(store.packsDir)).filter((file) => !named.has(file.number) && file.number !== store.writingPack)
    report.rewrittenPacks = [...choice.rewrite].filter((pack) => swept.has(pack)).length
    report.deletedPacks = [...choice.remove].filter((pack) => swept.has(pack)).length
    const orphans = unnamed.filter((file) => !swept.has(file.number) && file.modifiedMs <= settledBefore)
    report.orphanPacks = orphans.length
    return [...unnamed.filter((file) => swept.has(file.number)), ...orphans].map((file) => file.number)
  })
  for (const [i, pack] of doomed.entries()) {
    await unlink(path.join(store.packsDir, packFileName(pack))).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
    await store.forgetPack(pack)
    if (i === 0) crashPoint('gc-mid-delete')
  }
  await fsyncDir(store.packsDir)
  report.bytesAfter = (await listPacks(store.packsDir)).reduce((sum, file) => sum + file.bytes, 0)
  debug('collected in %d ms: %d bytes to %d', Date.now() - started, report.bytesBefore, report.bytesAfter)
  return report
}

/** What a collection plans, before it runs (what a dry run reports): the sweep fills in what it did. */
export function plannedReport(marks: Marks, usage: Map<number, PackUsage>, files: PackFile[], choice: PackChoice): CollectReport {
  const bytesBefore = files.reduce((sum, file) => sum + file.bytes, 0)
  return {
    chunks: marks.entries,
    liveChunks: marks.size,
    liveBytes: [...usage.values()].reduce((sum, pack) => sum + pack.liveBytes, 0),
    packs: files.length,
    rewrittenPacks: choice.rewrite.size,
    deletedPacks: choice.remove.size,
    orphanPacks: 0,
    bytesBefore,
    bytesAfter: bytesBefore - choice.reclaimable,
  }
}

/** Reads the marked chunks of the packs to rewrite, block by block, checks each against its id and writes it anew. */
async function copyLive(store: ChunkStore, snapshot: ChunkIndex, marks: Marks, rewrite: PackChoice['rewrite'], rewriter: PackRewriter): Promise<void> {
  const blocks = new Map<string, number[]>()
  for (let entry = 0; entry < snapshot.size; entry++) {
    if (!marks.has(entry)) continue
    const {pack, blockOffset} = snapshot.location(entry)
    if (!rewrite.has(pack)) continue
    const key = `${pack}:${blockOffset}`
    const list = blocks.get(key)
    if (list) list.push(entry)
    else blocks.set(key, [entry])
  }
  for (const entries of blocks.values()) {
    const plain = await store.readBlock(snapshot.location(entries[0]), {cache: false})
    for (const entry of entries) {
      const {offset, length, pack} = snapshot.location(entry)
      const chunk = plain.subarray(offset, offset + length)
      const key = snapshot.keyOf(entry)
      if (chunk.length !== length || sha256Key(chunk) !== key) {
        const id = keyToHex(key)
        throw new CorruptDataError(`chunk ${id} in pack ${packFileName(pack)} does not match its id: garbage collection stopped (run fsck)`, {id, pack})
      }
      await rewriter.add(key, chunk)
    }
  }
}

/** The chosen packs that hold nothing unplanned: every entry there was in the snapshot, and copied if marked. */
function sweepable(current: ChunkIndex, snapshot: ChunkIndex, marks: Marks, written: ChunkIndex, chosen: Set<number>): Set<number> {
  const swept = new Set(chosen)
  for (let entry = 0; entry < current.size; entry++) {
    const {pack} = current.location(entry)
    if (!swept.has(pack)) continue
    const key = current.keyOf(entry)
    const before = snapshot.find(key)
    if (before === -1 || (marks.has(before) && written.find(key) === -1)) swept.delete(pack)
  }
  return swept
}

/** The new index: entries outside swept packs as they are, copied chunks at their new places, the rest dropped. */
function keptEntries(current: ChunkIndex, written: ChunkIndex, swept: Set<number>): Buffer {
  const kept = Buffer.allocUnsafe(current.size * ENTRY_BYTES)
  let at = 0
  for (let entry = 0; entry < current.size; entry++) {
    let source = current.view(entry, entry + 1)
    if (swept.has(current.location(entry).pack)) {
      const moved = written.find(current.keyOf(entry))
      if (moved === -1) continue
      source = written.view(moved, moved + 1)
    }
    at += source.copy(kept, at)
  }
  return kept.subarray(0, at)
}
