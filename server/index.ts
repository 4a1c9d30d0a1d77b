/** The server as a library: the app factory, the embedded storage, the PostgreSQL storage and blob stores, the storage interfaces, the server's check. */
export {createApp, type AppOptions, type SyncServerApp} from './app.js'
export {openLmdbStorage} from './storage/lmdb/open-lmdb-storage.js'
export {openPostgresStorage} from './storage/postgres/open-postgres-storage.js'
export type {
  ChunkStorage,
  JournalStorage,
  JournalView,
  NamespaceChunks,
  NewEntry,
  ServerStorage,
  StoredEntry,
  TokenGrant,
  TokenInfo,
  TokenRights,
  TokenScope,
  TokenStorage,
} from './storage/types.js'
export {DEFAULT_LIMITS, type ProtocolLimits} from '#src/protocol/limits.js'
export {fsckServer, type NamespaceCheck} from './fsck.js'
export {BLOB_KEY, type BlobInfo, type BlobStore} from './storage/blobs/blob-store.js'
export {openBlobStore} from './storage/blobs/open-blob-store.js'
