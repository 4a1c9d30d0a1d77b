/**
 * Checks every stored chunk against its id: reads each block once, checks its header, and hashes every chunk
 * the index places in it. Reports damage; changes nothing.
 */
import {sha256Hex} from '../chunk/hash.js'
import {isSyncError} from '../errors/index.js'
import {decodeBlock} from './block.js'
import {type ChunkStore, packFileName} from './chunk-store.js'
import type {ChunkLocation} from './index-entry.js'

export interface Damage {
  id: string
  pack: string
  reason: string
}

export interface FsckReport {
  chunks: number
  blocks: number
  packs: number
  damaged: Damage[]
}

export async function fsckStore(store: ChunkStore, onProgress?: (checked: number, total: number) => void): Promise<FsckReport> {
  const byBlock = new Map<string, {location: ChunkLocation; ids: {id: string; location: ChunkLocation}[]}>()
  let chunks = 0
  for (const entry of store.persistedEntries()) {
    const key = `${entry.location.pack}:${entry.location.blockOffset}`
    let block = byBlock.get(key)
    if (!block) byBlock.set(key, (block = {location: entry.location, ids: []}))
    block.ids.push(entry)
    chunks++
  }
  const damaged: Damage[] = []
  const packs = new Set<number>()
  let checked = 0
  for (const {location, ids} of byBlock.values()) {
    packs.add(location.pack)
    const pack = packFileName(location.pack)
    let starts: Set<number> | undefined
    let plain: Buffer | undefined
    try {
      plain = await store.readBlock(location, {cache: false})
      starts = new Set(decodeBlock(plain).offsets)
    } catch (error) {
      if (!isSyncError(error)) throw error
      for (const {id} of ids) damaged.push({id, pack, reason: error.message})
    }
    if (plain && starts) {
      for (const {id, location: at} of ids) {
        if (!starts.has(at.offset) || at.offset + at.length > plain.length) {
          damaged.push({id, pack, reason: 'index places the chunk off a chunk boundary of its block'})
        } else if (sha256Hex(plain.subarray(at.offset, at.offset + at.length)) !== id) {
          damaged.push({id, pack, reason: 'bytes do not match the id'})
        }
      }
    }
    checked += ids.length
    onProgress?.(checked, chunks)
  }
  return {chunks, blocks: byBlock.size, packs: packs.size, damaged}
}
