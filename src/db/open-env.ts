/** Opens an LMDB environment (a folder holding data.mdb and lock.mdb) with the settings every part uses. */
import {open, type RootDatabase} from 'lmdb'

export function openEnv(dir: string, options: {readOnly?: boolean} = {}): RootDatabase {
  return open({
    path: dir,
    // Values are our own binary formats or small records; lmdb's compression would only cost time.
    compression: false,
    maxDbs: 32,
    readOnly: options.readOnly ?? false,
  })
}
