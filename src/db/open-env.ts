/** Opens an LMDB environment (a folder holding data.mdb and lock.mdb) with the settings every part uses. */
import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import type {RootDatabase} from 'lmdb'
import {ensureRoomSync} from './room-for-write.js'

/**
 * lmdb-js through its CommonJS build, one bundled file: required, it loads in 17 ms here, imported as ES modules
 * (a dozen files) in 32, and every command opens a store. This is the only place that loads lmdb at run time
 * (the rest imports its types), so the process holds one copy of it.
 */
const {open} = createRequire(import.meta.url)('lmdb') as typeof import('lmdb')

/** 64 GiB of address space per environment (64-bit only, as lmdb-js itself). */
const MAP_BYTES = 2 ** 36

export function openEnv(dir: string, options: {readOnly?: boolean} = {}): RootDatabase {
  // Creating a database on a full disk kills the process (lmdb-js: SIGBUS): refused first (room-for-write.ts).
  if (!options.readOnly && !existsSync(path.join(dir, 'data.mdb'))) ensureRoomSync(existsSync(dir) ? dir : path.dirname(dir))
  return open({
    path: dir,
    // Values are our own binary formats or small records; lmdb's compression would only cost time.
    compression: false,
    maxDbs: 32,
    readOnly: options.readOnly ?? false,
    // Two lmdb-js 3.5.6 failure paths, met on a full disk. Every write of ours is in an explicit transaction;
    // the event-turn batch would also start one of its own, whose promise nobody holds: a failed commit rejects
    // it and the process dies of the unhandled rejection. With overlapping sync, a failed commit's flush
    // promise never settles, and `close` waits for it forever. Commits sync before they resolve instead (the
    // server's commit rate is the same: bench:server).
    eventTurnBatching: false,
    overlappingSync: false,
    // Address space reserved at once, not the file's size (it grows as written; past this, lmdb-js grows the map).
    // Grown step by step from lmdb-js's small default, each larger map is a new mapping, and the old ones stay: the
    // same file pages then count in RSS once per mapping. Measured here: 123 MB written in 300 transactions, read
    // back, held 314 MB of mapped pages; with the map reserved at once, 123 MB (the server's chunk index at 1 GB
    // of text: 109 MB of mappings over a 48 MB file).
    mapSize: MAP_BYTES,
  })
}

/** The folder of an environment (lmdb-js sets it at open; its types leave it out). */
export function envPath(env: RootDatabase): string {
  return (env as RootDatabase & {path: string}).path
}
