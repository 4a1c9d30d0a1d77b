/**
 * The `inline` of a changes answer: bytes of the chunks that the listed entries introduced (ids in neither
 * their `prev` version nor, for a move, the version moved), in entry order, up to a byte budget; a chunk that
 * does not fit is skipped, by id. A device that had the previous version then needs no fetch for a small edit.
 */
import {IdSet} from '#src/chunk/id-set.js'
import type {StoredManifest} from '#src/manifest/manifest.js'
import type {NamespaceChunks, StoredEntry} from '../storage/types.js'

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
  for (const entry of entries) {
    const manifest = entry.manifest
    if (manifest?.kind !== 'file') continue
    // A set over the lists, not of their ids as strings: a 1 GB text file's 670,000 would cost ~100 MB.
    const had = new IdSet(known(entry).flatMap((old) => (old?.kind === 'file' ? [old.ids] : [])))
    for (let i = 0; i < manifest.ids.length && used < budget; i++) {
      if (had.hasAt(manifest.ids, i)) continue
      const key = manifest.ids.keyAt(i)
      if (taken.has(key)) continue
      const id = manifest.ids.hexAt(i)
      const length = await chunks.length(id)
      if (length === undefined || used + length > budget) continue
      taken.add(key)
      inline.set(id, await chunks.read(id))
      used += length
    }
    if (used >= budget) break
  }
  return inline
}
