/** Opens an LMDB environment (a folder holding data.mdb and lock.mdb) with the settings every part uses. */
import {createRequire} from 'node:module'
import type {RootDatabase} from 'lmdb'

/**
 * lmdb-js through its CommonJS build, one bundled file: required, it loads in 17 ms here, imported as ES modules
 * (a dozen files) in 32, and every command opens a store. This is the only place that loads lmdb at run time
 * (the rest imports its types), so the process holds one copy of it.
 */
const {open} = createRequire(import.meta.url)('lmdb') as typeof import('lmdb')

export function openEnv(dir: string, options: {readOnly?: boolean} = {}): RootDatabase {
  return open({
    path: dir,
    // Values are our own binary formats or small records; lmdb's compression would only cost time.
    compression: false,
    maxDbs: 32,
    readOnly: options.readOnly ?? false,
  })
}
