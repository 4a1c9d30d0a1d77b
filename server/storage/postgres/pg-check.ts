/**
 * fsck of a namespace's chunks on PostgreSQL: reads every block the index names once, checks its header, and hashes
 * every chunk the index places in it (as src/store/fsck.ts does for pack files). Reports damage; changes nothing.
 */
import {hexToKey} from '#src/chunk/hash.js'
import {isSyncError} from '#src/errors/index.js'
import {decodeBlock} from '#src/store/block.js'
import type {Damage, FsckReport} from '#src/store/fsck.js'
import {chunkOf} from './blob-pack.js'
import type {ChunkRow} from './pack-index.js'
import type {PgNamespaceChunks} from './pg-chunks.js'

export async function checkChunks(chunks: PgNamespaceChunks): Promise<FsckReport> {
  const rows = await chunks.index.all()
  const blocks = new Map<string, ChunkRow[]>()
  for (const row of rows) {
    const key = `${row.blob}:${row.block_offset}`
    const list = blocks.get(key)
    if (list) list.push(row)
    else blocks.set(key, [row])
  }
  const damaged: Damage[] = []
  for (const list of blocks.values()) {
    try {
      const plain = await chunks.block(list[0], false)
      const starts = new Set(decodeBlock(plain).offsets)
      for (const row of list) {
        if (!starts.has(row.chunk_offset)) damaged.push({id: row.id, pack: row.blob, reason: 'index places the chunk off a chunk boundary of its block'})
        else {
          try {
            chunkOf(plain, hexToKey(row.id), {offset: row.chunk_offset, length: row.length}, row.blob)
          } catch (error) {
            if (!isSyncError(error)) throw error
            damaged.push({id: row.id, pack: row.blob, reason: 'bytes do not match the id'})
          }
        }
      }
    } catch (error) {
      if (!isSyncError(error)) throw error
      for (const row of list) damaged.push({id: row.id, pack: row.blob, reason: error.message})
    }
  }
  return {chunks: rows.length, blocks: blocks.size, packs: new Set(rows.map((row) => row.pack)).size, damaged}
}
