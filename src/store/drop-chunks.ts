/**
 * Takes chunks out of the store's index (`sync fsck --repair`): reads of them then miss as for any chunk never
 * stored, and adding one again stores it anew in a new pack. Their old bytes stay in their packs until a collection
 * rewrites those (collect-garbage.ts counts only what the index names). One LMDB transaction, as a collection's
 * switch: the caller keeps this process's other writers of the store out.
 */
import type {ChunkStore} from './chunk-store.js'
import {ENTRY_BYTES} from './index-entry.js'

/** Drops the entries of `ids` from the index; how many it held. */
export async function dropChunks(store: ChunkStore, ids: ReadonlySet<string>): Promise<number> {
  let dropped = 0
  await store.switchIndex((current) => {
    const kept = Buffer.allocUnsafe(current.size * ENTRY_BYTES)
    let at = 0
    dropped = 0
    for (let entry = 0; entry < current.size; entry++) {
      if (ids.has(current.idOf(entry))) dropped++
      else at += current.view(entry, entry + 1).copy(kept, at)
    }
    return kept.subarray(0, at)
  })
  return dropped
}
