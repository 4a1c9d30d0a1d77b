/**
 * What garbage collection does with each pack (collect-garbage.ts), from an index snapshot and its marks: a
 * pack with no live chunk is deleted, one whose live chunk bytes are under a fraction of its chunk bytes is
 * rewritten with only them, the others stay. Packs written within the grace period, and the one being written,
 * are left alone: their chunks may be on their way to a commit (as git's prune-expire).
 */
import {readdir, stat} from 'node:fs/promises'
import path from 'node:path'
import type {ChunkIndex} from './chunk-index.js'
import type {Marks} from './gc-marks.js'

export interface PackFile {
  number: number
  bytes: number
  modifiedMs: number
}

export interface PackUsage {
  /** Chunk bytes (plain) the snapshot places in the pack, and how many of them are marked. */
  chunkBytes: number
  liveBytes: number
}

export interface PackChoice {
  rewrite: Set<number>
  remove: Set<number>
  /** Pack file bytes the choice should reclaim (a rewritten pack counted by its dead fraction). */
  reclaimable: number
}

const PACK_NAME = /^([0-9a-f]{8})\.pack$/

/** The pack files in `packsDir`, with their sizes and times. */
export async function listPacks(packsDir: string): Promise<PackFile[]> {
  const files: PackFile[] = []
  for (const name of await readdir(packsDir)) {
    const match = PACK_NAME.exec(name)
    if (!match) continue
    const info = await stat(path.join(packsDir, name)).catch(() => undefined)
    if (info) files.push({number: Number.parseInt(match[1], 16), bytes: info.size, modifiedMs: info.mtimeMs})
  }
  return files.sort((a, b) => a.number - b.number)
}

export function packUsage(index: ChunkIndex, marks: Marks): Map<number, PackUsage> {
  const usage = new Map<number, PackUsage>()
  for (let entry = 0; entry < marks.entries; entry++) {
    const {pack, length} = index.location(entry)
    let counts = usage.get(pack)
    if (!counts) usage.set(pack, (counts = {chunkBytes: 0, liveBytes: 0}))
    counts.chunkBytes += length
    if (marks.has(entry)) counts.liveBytes += length
  }
  return usage
}

export function choosePacks(
  files: PackFile[],
  usage: Map<number, PackUsage>,
  options: {rewriteBelow: number; settledBefore: number; writing?: number},
): PackChoice {
  const choice: PackChoice = {rewrite: new Set(), remove: new Set(), reclaimable: 0}
  for (const file of files) {
    const used = usage.get(file.number)
    if (!used || file.number === options.writing || file.modifiedMs > options.settledBefore) continue
    if (used.liveBytes === 0) {
      choice.remove.add(file.number)
      choice.reclaimable += file.bytes
    } else if (used.liveBytes < used.chunkBytes * options.rewriteBelow) {
      choice.rewrite.add(file.number)
      choice.reclaimable += Math.round(file.bytes * (1 - used.liveBytes / used.chunkBytes))
    }
  }
  return choice
}
