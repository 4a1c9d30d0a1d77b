/**
 * The sync library, as other programs import it (`import {...} from 'sync'`): a folder's store and files, the
 * chunker, the journal client and the syncer, versions from the journal, the line merge and line diffs, and the typed
 * errors. The CLI is built on these.
 */
export {Chunker, type ChunkSink} from './chunk/chunker.js'
export {type FileKind, type KindRules, DEFAULT_KIND_RULES, detectKind} from './chunk/file-kind.js'
export {sha256Hex} from './chunk/hash.js'
export {IdList} from './chunk/id-list.js'
export {type Hunk, type HunkLine, lineHunks} from './diff/line-hunks.js'
export {type DiffSide, binaryDiff, unifiedDiff} from './diff/unified-diff.js'
export * from './errors/index.js'
export {type HashedFile, type HashifyOptions, hashifyFile, hashifyFileInBatches} from './files/hashify-file.js'
export {type SaveOptions, saveFile} from './files/save-file.js'
export {type InitOptions, initFolder} from './folder/init-folder.js'
export {SyncFolder} from './folder/sync-folder.js'
export {type ChangesPage, type CommitItem, type CommitResult, type JournalEntry, JournalClient} from './journal/journal-client.js'
export {type MergeResult, mergeIds} from './merge/merge-ids.js'
export {ChunkStore} from './store/chunk-store.js'
export {type DaemonOptions, runDaemon} from './sync/daemon.js'
export {type FoundVersion, findVersion} from './sync/find-version.js'
export {type PassSummary, Syncer, type SyncerOptions} from './sync/syncer.js'
export type {TransferProgress} from './sync/transfer-meter.js'
export {versionBuffer, versionBytes} from './sync/version-bytes.js'
export {withSyncer} from './sync/with-syncer.js'
