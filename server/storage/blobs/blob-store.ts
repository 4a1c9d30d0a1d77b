/**
 * Where a scaled-out server keeps chunk bytes: immutable objects (packs) under unique keys, written whole and read
 * by range. The index of which chunk is where lives beside the journal (PostgreSQL); the objects live on a local
 * disk (disk-blob-store.ts) or in an S3-compatible object store.
 */
export interface BlobInfo {
  key: string
  size: number
}

export interface BlobStore {
  /** Writes an object whole and durably; once this resolves, reads of it succeed. Keys are never rewritten. */
  put(key: string, bytes: Uint8Array): Promise<void>
  /** `length` bytes of an object from `offset`; throws NotFoundError when the object is absent. */
  read(key: string, offset: number, length: number): Promise<Buffer>
  /** Deletes an object; deleting an absent one is no error. */
  delete(key: string): Promise<void>
  /** The objects whose keys start with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<BlobInfo>
  close(): Promise<void>
}

/** Keys are paths of `[A-Za-z0-9._-]` segments joined by `/`: safe as file names and object keys alike. */
export const BLOB_KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}(\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}){0,7}$/
