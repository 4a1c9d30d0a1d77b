/**
 * The bytes of a version, in order, a batch of chunks at a time: chunks this device stores are read from its
 * store, the rest are fetched from the server into memory (never into the store, so a reader such as `sync show`
 * writes nothing and needs no lock while a daemon syncs the folder). Memory stays bounded by the batch.
 */
import {CorruptDataError} from '../errors/index.js'
import type {JournalClient} from '../journal/journal-client.js'
import type {Manifest} from '../manifest/manifest.js'
import type {ChunkStore} from '../store/chunk-store.js'

/** Bytes read or fetched per round, about (from the version's average chunk): bounds memory for any kind of file. */
const BATCH_BYTES = 8 * 1024 * 1024
const MAX_IDS_PER_BATCH = 8192

export async function* versionBytes(manifest: Manifest, client: JournalClient, store?: ChunkStore): AsyncGenerator<Buffer> {
  if (manifest.kind === 'symlink') {
    yield Buffer.from(manifest.target)
    return
  }
  const count = manifest.ids.length
  const perBatch = Math.max(1, Math.min(MAX_IDS_PER_BATCH, Math.floor((BATCH_BYTES * count) / Math.max(1, manifest.size))))
  let size = 0
  for (let start = 0; start < count; start += perBatch) {
    const ids = Array.from({length: Math.min(perBatch, count - start)}, (_, i) => manifest.ids.hexAt(start + i))
    const fetched = await client.fetchBytes(ids.filter((id) => !store?.has(id)))
    for (const id of ids) {
      const bytes = fetched.get(id) ?? (await store!.read(id))
      size += bytes.length
      yield bytes
    }
  }
  if (size !== manifest.size) throw new CorruptDataError(`the chunks of this version make ${size} bytes, not its ${manifest.size}`, {size})
}

/** The whole version in memory (for a diff). */
export async function versionBuffer(manifest: Manifest, client: JournalClient, store?: ChunkStore): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const bytes of versionBytes(manifest, client, store)) parts.push(bytes)
  return Buffer.concat(parts)
}
