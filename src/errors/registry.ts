/**
 * Every error code in one place: the HTTP status the server answers it with, and the exit code of the `sync`
 * and `sync-server` commands that meet it. Each error class names its code (`static code`); the server's error
 * middleware, both commands' exits and the docs (README's exit codes, docs/errors.md) read this table, and
 * test/errors/registry.test.ts checks that every class is here and the docs say what it says.
 */

/** Exit codes: part of the commands' interface, so that scripts can tell outcomes apart. 13 and 14 are node's own. */
export const EXIT = {
  ok: 0,
  /** Something absent (a chunk check-chunk looked for, a version or a history the server does not have), or a failure no other code names. */
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
  /** A path could not be synced (`sync status` says why). */
  notInSync: 11,
  busy: 12,
  /** Deletions held by the delete guard, waiting for `sync approve-deletes` or `sync restore --held`. */
  deletionsHeld: 15,
  /** The disk (here or the server's) is full; nothing of the failed step was kept. */
  noSpace: 16,
  /** Stored data in a format this version does not read (a newer version's, or a pre-release one's). */
  unknownFormat: 17,
  /** The folder is paused (`sync pause`) until `sync resume`. */
  paused: 18,
  /** This sync is too old for the server (its protocol is not served, or served read-only): update it. */
  clientTooOld: 19,
  /** The passphrase of an encrypted namespace is not the one it was created with. */
  wrongPassphrase: 20,
  /** sync-server: another server serves the data folder (the CLI's 3 is missing chunks: two commands, two meanings). */
  serverDataBusy: 3,
} as const

/** What each exit code means, as README says it (generated from here: `npm run docs:errors`). */
export const EXIT_MEANINGS: Record<number, string> = {
  [EXIT.ok]: 'ok',
  [EXIT.failure]: 'something absent or unexpected',
  [EXIT.usage]: 'bad input',
  [EXIT.missingChunks]: 'missing chunks (sync-server: another server has the data folder)',
  [EXIT.conflict]: 'conflict',
  [EXIT.notASyncFolder]: 'not a sync folder',
  [EXIT.corrupt]: 'damaged data',
  [EXIT.fileAccess]: 'file access or a path that cannot sync',
  [EXIT.network]: 'network',
  [EXIT.auth]: 'auth',
  [EXIT.rejected]: 'refused by the server',
  [EXIT.notInSync]: 'not in sync yet (a path could not sync: `sync status` says why)',
  [EXIT.busy]: 'another sync process has the folder',
  [EXIT.deletionsHeld]: 'deletions held by the delete guard',
  [EXIT.noSpace]: 'a disk is full (here or on the server; nothing of the failed step was kept)',
  [EXIT.unknownFormat]: 'data written in a format this version does not read (update sync; the message says what to do)',
  [EXIT.paused]: 'the folder is paused (`sync resume`)',
  [EXIT.clientTooOld]: 'this sync is too old for the server (the message gives the command that updates it)',
  [EXIT.wrongPassphrase]: "a passphrase that is not the encrypted namespace's",
}

interface ErrorCodeEntry {
  /** The HTTP status the server answers with (500 for codes a server never sends on purpose). */
  status: number
  exit: number
  meaning: string
}

export const ERROR_CODES = {
  E_INVALID_INPUT: {status: 400, exit: EXIT.usage, meaning: 'bad input: a flag, an argument, a request body'},
  E_INVALID_PATH: {status: 400, exit: EXIT.usage, meaning: 'a path the protocol refuses (absolute, .., .sync, too long, a control character)'},
  E_INVALID_ID: {status: 400, exit: EXIT.usage, meaning: 'a chunk id that is not 64 lowercase hex digits'},
  E_BAD_PACK: {status: 400, exit: EXIT.corrupt, meaning: 'a chunk pack that does not decode'},
  E_TOO_LARGE: {status: 413, exit: EXIT.usage, meaning: 'over a limit (a request body, a chunk, an inflated block)'},
  E_UNAUTHORIZED: {status: 401, exit: EXIT.auth, meaning: 'no token, or one the server does not know (or revoked)'},
  E_FORBIDDEN: {status: 403, exit: EXIT.auth, meaning: 'the token may not do this (another namespace, or read-only)'},
  E_NOT_FOUND: {status: 404, exit: EXIT.failure, meaning: 'absent: a JID, a route, a data folder, a history'},
  E_MISSING_CHUNKS: {status: 404, exit: EXIT.missingChunks, meaning: 'chunks a request needs are not stored (their ids are in data.ids)'},
  E_CONFLICT: {status: 409, exit: EXIT.conflict, meaning: "the base given is not the path's head"},
  E_NAME_TAKEN: {status: 409, exit: EXIT.failure, meaning: 'a name already in use (a token of that device name in its namespace)'},
  E_CHUNK_MISMATCH: {status: 422, exit: EXIT.corrupt, meaning: 'chunk bytes that do not hash to their id'},
  E_NO_SPACE: {status: 507, exit: EXIT.noSpace, meaning: 'a disk or quota is full; nothing of the request was kept'},
  E_CORRUPT: {status: 500, exit: EXIT.corrupt, meaning: 'stored bytes that fail their check'},
  E_STORE_BROKEN: {status: 500, exit: EXIT.corrupt, meaning: 'a chunk store that failed a write and takes no more until it recovers'},
  E_PACK_BROKEN: {status: 500, exit: EXIT.corrupt, meaning: 'a pack file that failed a write'},
  E_FORMAT: {status: 500, exit: EXIT.unknownFormat, meaning: 'stored data in a format this version does not read'},
  E_PROTOCOL: {status: 500, exit: EXIT.rejected, meaning: 'the server speaks an older protocol than this client (update the server)'},
  E_CLIENT_TOO_OLD: {
    status: 426,
    exit: EXIT.clientTooOld,
    meaning: "the client's protocol is older than the server serves, or serves only for reading (data: protocols, readOnlyProtocols, latestClient)",
  },
  E_ENCRYPTION: {
    status: 409,
    exit: EXIT.rejected,
    meaning: 'a client and a namespace that disagree on encryption (sync init --encrypt joins an encrypted one), or plaintext sent to an encrypted one',
  },
  E_WRONG_PASSPHRASE: {status: 500, exit: EXIT.wrongPassphrase, meaning: "a passphrase that is not the encrypted namespace's (its key check differs)"},
  E_SEAL_BROKEN: {status: 500, exit: EXIT.corrupt, meaning: "sealed bytes that do not open with the folder's key (tampered with, or another key)"},
  E_NETWORK: {status: 500, exit: EXIT.network, meaning: 'the server cannot be reached, or did not answer in time'},
  E_SERVER_REJECTED: {status: 500, exit: EXIT.rejected, meaning: 'the server refused with a code no more specific error names'},
  E_FILE_ACCESS: {
    status: 500,
    exit: EXIT.fileAccess,
    meaning: 'a file that cannot be read or written (absent, a folder, not a regular file, permission, changing)',
  },
  E_BLOCKED_PATH: {
    status: 500,
    exit: EXIT.fileAccess,
    meaning: 'a path that cannot be written here (a link or a file above it; a folder, a pipe, a socket or a device at it)',
  },
  E_LOCAL_CHANGED: {status: 500, exit: EXIT.fileAccess, meaning: 'a file changed on disk while sync was about to replace it; left alone'},
  E_UNSENT_CHANGES: {
    status: 500,
    exit: EXIT.notInSync,
    meaning: 'local changes the server has not taken yet (sync unmount refuses; --keep-changes keeps them as plain files)',
  },
  E_NOT_A_SYNC_FOLDER: {status: 500, exit: EXIT.notASyncFolder, meaning: 'no .sync here or above (run sync init)'},
  E_ALREADY_INITIALIZED: {status: 500, exit: EXIT.notASyncFolder, meaning: 'sync init of a folder that is already a sync folder'},
  E_FOLDER_BUSY: {status: 500, exit: EXIT.busy, meaning: 'another sync process has the folder'},
  E_FOLDER_GONE: {
    status: 500,
    exit: EXIT.notASyncFolder,
    meaning: 'the synced folder a running sync opened was moved, deleted or replaced (a daemon waits for it to come back)',
  },
  E_PAUSED: {status: 500, exit: EXIT.paused, meaning: "the folder is paused ('sync pause'): nothing syncs it until 'sync resume'"},
  E_INTERNAL: {status: 500, exit: EXIT.rejected, meaning: "the server's answer to its own bug (no details: they are in its log)"},
  E_DATA_BUSY: {status: 500, exit: EXIT.serverDataBusy, meaning: 'another sync-server has the data folder'},
} as const satisfies Record<string, ErrorCodeEntry>

export type ErrorCode = keyof typeof ERROR_CODES

const entryOf = (code: string): ErrorCodeEntry | undefined => (ERROR_CODES as Record<string, ErrorCodeEntry>)[code]

/** The HTTP status of an error code; 500 for one the registry does not have. */
export function statusFor(code: string): number {
  return entryOf(code)?.status ?? 500
}

/** The exit code of both commands for an error code; 1 for one the registry does not have. */
export function exitCodeFor(code: string): number {
  return entryOf(code)?.exit ?? EXIT.failure
}
