/**
 * Three-way merge of text files, by lines, against their common base. Lines are chunks (in a text file of
 * 8 MiB or more, runs of lines: two edits in one run overlap), so the merge runs on chunk ids (node-diff3 over the three id lists) and the result is exact bytes with no decoding: any encoding,
 * CRLF or invalid UTF-8 survives. Edits that do not overlap merge; any overlap means no merge (the caller keeps
 * both versions).
 */
import {diff3Merge} from 'node-diff3'
import {IdList} from '../chunk/id-list.js'

export type MergeResult = {clean: true; ids: IdList} | {clean: false; conflicts: number}

function keys(ids: IdList): string[] {
  return Array.from({length: ids.length}, (_, i) => ids.keyAt(i))
}

export function mergeIds(base: IdList, local: IdList, remote: IdList): MergeResult {
  const regions = diff3Merge(keys(local), keys(base), keys(remote), {excludeFalseConflicts: true})
  const conflicts = regions.filter((region) => region.conflict).length
  if (conflicts > 0) return {clean: false, conflicts}
  const merged = new IdList()
  for (const region of regions) for (const key of region.ok ?? []) merged.pushKey(key)
  return {clean: true, ids: merged}
}
