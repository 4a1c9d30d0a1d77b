/**
 * Garbage collection of a namespace's chunks on PostgreSQL, src/store/collect-garbage.ts's steps over the index
 * rows and pack blobs: snapshot the index, mark (the caller's hooks), choose packs (src/store/pack-usage.ts: no
 * live chunk: deleted; live under `rewriteBelow`: rewritten; written within the grace: left alone), write the
 * live chunks of rewritten packs into a new pack blob, then, holding off every keepPresent on every instance,
 * mark what was committed since and switch the index in one transaction. Blobs are deleted after that: swept
 * packs', and any blob no pack row names that is older than the grace (a flush that crashed between its blob and
 * its rows).
 */
import {hexToKey} from '#src/chunk/hash.js'
import {type CollectHooks, type CollectOptions, type CollectReport, plannedReport} from '#src/store/collect-garbage.js'
import {ChunkIndex} from '#src/store/chunk-index.js'
import {Marks} from '#src/store/gc-marks.js'
import {choosePacks, packUsage, type PackFile} from '#src/store/pack-usage.js'
import type {BlobStore} from '../blobs/blob-store.js'
import {buildPack, chunkOf, type PackedChunk, packsOf} from './blob-pack.js'
import {type ChunkRow, createdOf, packPrefix, type PackRow} from './pack-index.js'
import type {PgNamespaceChunks} from './pg-chunks.js'
import {inTransaction} from './transaction.js'

function snapshotOf(rows: ChunkRow[]): ChunkIndex {
  const index = new ChunkIndex(rows.length)
  for (const row of rows)
    index.add(hexToKey(row.id), {pack: row.pack, blockOffset: row.block_offset, blockLength: row.block_length, offset: row.chunk_offset, length: row.length})
  return index
}

export async function collectChunks(chunks: PgNamespaceChunks, blobs: BlobStore, hooks: CollectHooks, options: CollectOptions): Promise<CollectReport> {
  const settledBefore = Date.now() - options.graceMs
  const {index} = chunks
  const rows = await index.all()
  const packs = await index.packs()
  const snapshot = snapshotOf(rows)
  const marks = new Marks(snapshot)
  await hooks.mark(marks)
  const files: PackFile[] = packs.map((pack) => ({number: pack.pack, bytes: pack.bytes, modifiedMs: pack.created}))
  const usage = packUsage(snapshot, marks)
  const choice = choosePacks(files, usage, {rewriteBelow: options.rewriteBelow, settledBefore})
  // A pack no chunk is placed in any more (its chunks all went elsewhere): nothing of it is live.
  for (const file of files) {
    if (!usage.has(file.number) && file.modifiedMs <= settledBefore && !choice.remove.has(file.number)) {
      choice.remove.add(file.number)
      choice.reclaimable += file.bytes
    }
  }
  const report = plannedReport(marks, usage, files, choice)
  if (options.dryRun) return report

  // The live chunks of the packs to rewrite, in new pack blobs that no row names until the switch.
  const written: {pack: PackRow; placed: PackedChunk[]}[] = []
  for (const part of packsOf(await liveChunks(chunks, rows, snapshot, marks, choice.rewrite))) {
    const {bytes, placed} = await buildPack(part)
    written.push({pack: await index.addPackBlob(bytes.length, (blob) => blobs.put(blob, bytes)), placed})
  }
  const chosen = [...choice.rewrite, ...choice.remove]
  const switched = await hooks.exclusive(async () => {
    await hooks.markLate(marks)
    return inTransaction(index.pool, async (client) => {
      const moved = new Set(written.flatMap(({placed}) => placed.map((chunk) => chunk.key)))
      const sweepable = new Set(chosen)
      for (const row of await index.all(client, chosen)) {
        const key = hexToKey(row.id)
        const before = snapshot.find(key)
        // Added since the snapshot, or marked late and not copied: the pack stays whole.
        if (before === -1 || (marks.has(before) && !moved.has(key))) sweepable.delete(row.pack)
      }
      for (const {pack, placed} of written) {
        await index.insertPack(client, pack, [])
        const fromSwept = placed.filter((chunk) => sweepable.has(snapshot.location(snapshot.find(chunk.key)).pack))
        await index.moveChunks(client, fromSwept, pack.pack)
      }
      await index.dropPacks(client, [...sweepable])
      return {sweepable, sweeps: sweepable.size > 0 ? await index.countSweep(client) : undefined}
    })
  })
  if (switched.sweeps !== undefined) chunks.sawSweeps(switched.sweeps)
  const swept = switched.sweepable
  const blobsOf = new Map(packs.map((pack) => [pack.pack, pack.blob]))
  for (const pack of swept) await blobs.delete(blobsOf.get(pack)!)
  report.orphanPacks = await deleteOrphans(chunks, blobs, settledBefore)
  report.rewrittenPacks = [...choice.rewrite].filter((pack) => swept.has(pack)).length
  report.deletedPacks = [...choice.remove].filter((pack) => swept.has(pack)).length
  report.bytesAfter = (await index.usage()).bytes
  return report
}

/** The marked chunks of the packs to rewrite, read block by block and checked. */
async function liveChunks(
  chunks: PgNamespaceChunks,
  rows: ChunkRow[],
  snapshot: ChunkIndex,
  marks: Marks,
  rewrite: Set<number>,
): Promise<[string, Uint8Array][]> {
  const live: [string, Uint8Array][] = []
  for (const row of rows) {
    if (!rewrite.has(row.pack)) continue
    const key = hexToKey(row.id)
    if (!marks.has(snapshot.find(key))) continue
    live.push([key, chunkOf(await chunks.block(row, true), key, {offset: row.chunk_offset, length: row.length}, row.blob)])
  }
  return live
}

/** Blobs of the namespace no pack row names, written before the grace: left by a flush that crashed. */
async function deleteOrphans(chunks: PgNamespaceChunks, blobs: BlobStore, settledBefore: number): Promise<number> {
  const named = new Set((await chunks.index.packs()).map((pack: PackRow) => pack.blob))
  let deleted = 0
  for await (const {key} of blobs.list(packPrefix(chunks.namespace))) {
    const created = createdOf(key)
    if (named.has(key) || created === undefined || created > settledBefore) continue
    await blobs.delete(key)
    deleted++
  }
  return deleted
}
