/**
 * Exit codes of the `sync` CLI: part of its interface, so scripts can tell outcomes apart.
 * 0 ok; 1 something absent (check-chunk's chunk, a version or a history the server does not have) or an
 * unexpected failure; 2 bad usage or input.
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  missingChunks: 3,
  conflict: 4,
  notASyncFolder: 5,
  corrupt: 6,
  fileAccess: 7,
  network: 8,
  auth: 9,
  rejected: 10,
  notInSync: 11,
  busy: 12,
  /** Deletions held by the delete guard, waiting for `sync approve-deletes` or `sync restore --held`. 13 and 14 are node's own. */
  deletionsHeld: 15,
  /** The disk (here or the server's) is full; nothing of the failed step was kept. */
  noSpace: 16,
  /** Stored data in a format this version does not read (a newer version's, or a pre-release one's). */
  unknownFormat: 17,
} as const

const byErrorCode: Record<string, number> = {
  E_INVALID_ID: EXIT.usage,
  E_INVALID_INPUT: EXIT.usage,
  E_INVALID_PATH: EXIT.usage,
  E_TOO_LARGE: EXIT.usage,
  E_MISSING_CHUNKS: EXIT.missingChunks,
  E_CONFLICT: EXIT.conflict,
  E_NOT_A_SYNC_FOLDER: EXIT.notASyncFolder,
  E_ALREADY_INITIALIZED: EXIT.notASyncFolder,
  E_CORRUPT: EXIT.corrupt,
  E_STORE_BROKEN: EXIT.corrupt,
  E_PACK_BROKEN: EXIT.corrupt,
  E_CHUNK_MISMATCH: EXIT.corrupt,
  E_BAD_PACK: EXIT.corrupt,
  E_FILE_ACCESS: EXIT.fileAccess,
  E_BLOCKED_PATH: EXIT.fileAccess,
  E_NETWORK: EXIT.network,
  E_UNAUTHORIZED: EXIT.auth,
  E_FORBIDDEN: EXIT.auth,
  E_SERVER_REJECTED: EXIT.rejected,
  E_FOLDER_BUSY: EXIT.busy,
  E_NO_SPACE: EXIT.noSpace,
  E_FORMAT: EXIT.unknownFormat,
  E_NOT_FOUND: EXIT.failure,
}

export function exitCodeFor(errorCode: string): number {
  return byErrorCode[errorCode] ?? EXIT.failure
}
