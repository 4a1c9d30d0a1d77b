/** The blob store a URL names: `file:///path` (a folder on a local disk). */
import {fileURLToPath} from 'node:url'
import {InvalidInputError} from '#src/errors/index.js'
import type {BlobStore} from './blob-store.js'
import {DiskBlobStore} from './disk-blob-store.js'

export async function openBlobStore(url: string): Promise<BlobStore> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new InvalidInputError(`--blobs: not a URL: ${JSON.stringify(url.slice(0, 200))} (file:///path)`)
  }
  if (parsed.protocol === 'file:') return new DiskBlobStore(fileURLToPath(parsed))
  throw new InvalidInputError(`--blobs: unknown scheme ${parsed.protocol} (file:///path)`)
}
