/**
 * A namespace token in a server's data folder, made in this process the way `sync-server token --data DIR
 * --namespace NS` makes it (the same storage call), for tests whose subject is the `sync` CLI: the verb as a
 * subprocess cost about a second of CPU per token. The verb itself is tested in test/server/tokens.test.ts and
 * test/server/process.test.ts.
 */
import {openLmdbStorage} from '#server/storage/lmdb/open-lmdb-storage.js'

export async function dataFolderToken(data: string, namespace: string, options: {readOnly?: boolean} = {}): Promise<string> {
  const storage = await openLmdbStorage(data, {create: true})
  try {
    return (await storage.tokens.create({rights: options.readOnly ? 'read-only' : 'read-write', namespace})).token
  } finally {
    await storage.close()
  }
}
