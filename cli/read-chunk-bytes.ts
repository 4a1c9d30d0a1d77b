/** `sync read-chunk`'s work, shared by the oclif command and the fast path. */
import {parseChunkId} from '#src/chunk/chunk-id.js'
import {SyncFolder} from '#src/folder/sync-folder.js'

export async function readChunkBytes(startDir: string, given: string): Promise<Buffer> {
  const id = parseChunkId(given)
  const folder = await SyncFolder.open(startDir)
  try {
    return Buffer.from(await folder.store.read(id))
  } finally {
    await folder.close()
  }
}
