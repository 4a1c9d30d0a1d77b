/**
 * The `inline` of a changes answer: bytes of the chunks that the listed entries introduced (ids in neither
 * their `prev` version nor, for a move, the version moved), in entry order, up to a byte budget; a chunk that
 * does not fit is skipped, by id. A device that had the previous version then needs no fetch for a small edit.
 */
import {IdSet} from '#src/chunk/id-set.js'
import type {StoredManifest} from '#src/manifest/manifest.js'
import type {NamespaceChunks, StoredEntry} from '../storage/types.js'

/**
 * Chunks passed over for not fitting before inlining stops: a few, so that smaller chunks after a big one still go
 * (a small edit's line after a photo's chunk), but a full budget is not compared with every chunk of the page (a
 * page of 1,000 new recipes: 35,000 lookups once the budget was full, half of the server's time for the page).
 */
export const MISFITS_BEFORE_STOP = 64

/** `known(entry)`: the versions a device that follows the journal already has the chunks of. */
export async function inlineChunks(
  entries: StoredEntry[],
  known: (entry: StoredEntry) => (StoredManifest | undefined)[],
  chunks: NamespaceChunks,
  budget: number,
): Promise<Map<string, Buffer>> {
  const inline = new Map<string, Buffer>()
  const taken = new Set<string>()
  let used = 0
  let misfits = 0
  for (const entry of entries) {
    const manifest = entry.manifest
    if (manifest?.kind !== 'file') continue
    // A set over the lists, not of their ids as strings: a 1 GB text file's 670,000 would cost ~100 MB.
    const lists = known(entry).flatMap((old) => (old?.kind === 'file' ? [old.ids] : []))
    const had = lists.length > 0 ? new IdSet(lists) : undefined
    for (let i = 0; i < manifest.ids.length; i++) {
      if (had?.hasAt(manifest.ids, i)) continue
      const key = manifest.ids.keyAt(i)
      if (taken.has(key)) continue
      const id = manifest.ids.hexAt(i)
      const length = await chunks.length(id)
      if (length === undefined) continue
      if (used + length > budget) {
        if (++misfits === MISFITS_BEFORE_STOP) return inline
        continue
      }
      taken.add(key)
      inline.set(id, await chunks.read(id))
      used += length
      if (used === budget) return inline
    }
  }
  return inline
}
