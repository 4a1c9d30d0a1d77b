/**
 * Format versions of what sync keeps on disk: the client state (FolderState), a chunk store (IndexSegments) and
 * the server's data folder each keep theirs under the key `format` of their meta database, written with their
 * first write. A version newer than this build reads is refused, never guessed at. Data written before versions
 * were kept has none, and is today's first version (the pre-release shapes before it are refused where they are
 * read: record-codec.ts).
 */
import {CorruptDataError, UnknownFormatError} from '../errors/index.js'

export const FORMATS = {
  /**
   * `.sync/db` state-paths, state-manifests, state-meta (src/state). 2: a big file's manifest may be kept in slices
   * (src/state/manifest-slices.ts); written only once one is, so that a state without any stays 1 for older versions.
   */
  state: 2,
  /**
   * chunk-segments and store-meta of a chunk store, and its pack files (src/store). 2: blocks may be brotli
   * (block-compression.ts); a store of format 1 (deflate only) is upgraded by its next write, nothing rewritten.
   */
  store: 2,
  /**
   * The server's DATA/db (journal, tokens, namespaces). 2: journal entries may hold tree manifests. 3: it may hold
   * chunks a commit staged (db `staged-chunks`, server/storage/lmdb/staged-chunks.ts), which an older server would
   * not move to their store.
   */
  serverData: 3,
} as const

/** Throws unless `found` (the stored `format`, or undefined) is a version `current` reads. */
export function checkFormat(what: string, found: unknown, current: number): void {
  if (found === undefined) return
  if (typeof found !== 'number' || !Number.isInteger(found) || found < 1)
    throw new CorruptDataError(`${what}: its format version (${String(found)}) is not a version`)
  if (found > current) {
    throw new UnknownFormatError(
      `${what} was written by a newer version of sync (format ${found}; this one reads up to ${current}): update sync, then run again`,
      {found, current},
    )
  }
}
