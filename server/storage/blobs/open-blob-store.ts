/**
 * A blob store from its URL, as given to `sync-server --blobs`:
 * - `file:///abs/path`: files under that folder (DiskBlobStore);
 * - `s3://[KEY:SECRET@]bucket[/prefix]?endpoint=...&region=...&forcePathStyle=...`: objects in an S3-compatible
 *   store (S3BlobStore; the parameters are described in s3-url.ts and docs/scaling.md).
 * A bad URL is an InvalidInputError and contacts nothing; an S3 store is checked (its bucket answers) before it is returned.
 * The S3 SDK is loaded only for an s3: URL: importing it costs ~260 ms of CPU, at every start of a server that never uses it.
 */
import {fileURLToPath} from 'node:url'
import {InvalidInputError} from '#src/errors/index.js'
import type {BlobStore} from './blob-store.js'
import {DiskBlobStore} from './disk-blob-store.js'
import {parseS3Url} from './s3-url.js'

export async function openBlobStore(url: string, env: NodeJS.ProcessEnv = process.env): Promise<BlobStore> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new InvalidInputError(`bad blob store URL '${url}': expected file:///abs/path or s3://bucket[/prefix]?endpoint=...`, {url})
  }
  if (parsed.protocol === 'file:') return new DiskBlobStore(folderOf(parsed))
  if (parsed.protocol === 's3:') {
    const options = parseS3Url(parsed, env)
    const {S3BlobStore} = await import('./s3-blob-store.js')
    return S3BlobStore.open(options)
  }
  throw new InvalidInputError(`bad blob store URL: scheme '${parsed.protocol}' is neither file: nor s3:`, {url: parsed.protocol})
}

function folderOf(url: URL): string {
  if (url.host !== '' || url.search !== '' || url.hash !== '') {
    throw new InvalidInputError(`bad blob store URL ${url.href}: expected file:///abs/path (no host, query or fragment)`, {url: url.href})
  }
  return fileURLToPath(url).replace(/\/+$/, '') || '/'
}
