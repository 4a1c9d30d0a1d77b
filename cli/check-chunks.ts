/** `sync check-chunk`'s work, shared by the oclif command and the fast path (fast-path.ts). */
import {parseChunkIds} from '#src/chunk/chunk-id.js'
import {SyncFolder} from '#src/folder/sync-folder.js'

export interface CheckChunksResult {
  checked: number
  missing: string[]
}

export async function checkChunks(startDir: string, given: readonly string[]): Promise<CheckChunksResult> {
  const ids = parseChunkIds(given)
  const folder = await SyncFolder.open(startDir)
  try {
    return {checked: ids.length, missing: folder.store.missing(ids)}
  } finally {
    await folder.close()
  }
}
