/**
 * The embedded storage: everything in one data folder.
 *   DATA/db/            LMDB: journal, tokens, namespaces
 *   DATA/chunks/NS/     one chunk store per namespace (db/ + packs/)
 */
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import {openEnv} from '../../../src/db/open-env.js'
import type {ServerStorage} from '../types.js'
import {LmdbChunks} from './lmdb-chunks.js'
import {LmdbJournal} from './lmdb-journal.js'
import {LmdbTokens} from './lmdb-tokens.js'

export async function openLmdbStorage(dataDir: string): Promise<ServerStorage> {
  await mkdir(path.join(dataDir, 'db'), {recursive: true})
  await mkdir(path.join(dataDir, 'chunks'), {recursive: true})
  const env = openEnv(path.join(dataDir, 'db'))
  const chunks = new LmdbChunks(path.join(dataDir, 'chunks'))
  return {
    journal: new LmdbJournal(env),
    chunks,
    tokens: new LmdbTokens(env),
    async close() {
      try {
        await chunks.close()
      } finally {
        await env.close()
      }
    },
  }
}
