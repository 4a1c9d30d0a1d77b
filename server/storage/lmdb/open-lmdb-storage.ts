/**
 * The embedded storage: everything in one data folder.
 *   DATA/db/            LMDB: journal, tokens, namespaces and their settings, devices, chunks staged by commits
 *                       (staged-chunks.ts), and the folder's format version (db `data-meta`)
 *   DATA/chunks/NS/     one chunk store per namespace (db/ + packs/)
 *   DATA/server.lock    the pid of the server serving it (server/cli/serve.ts)
 * Only `create` makes a data folder that is not there: maintenance of a mistyped path must not make an empty one.
 */
import {mkdir, stat} from 'node:fs/promises'
import type {RootDatabase} from 'lmdb'
import path from 'node:path'
import {durableTransaction} from '#src/db/durable.js'
import {checkFormat, FORMATS} from '#src/db/format-version.js'
import {openEnv} from '#src/db/open-env.js'
import {NotFoundError} from '#src/errors/index.js'
import type {ServerStorage} from '../types.js'
import {LmdbChunks} from './lmdb-chunks.js'
import {LmdbDevices} from './lmdb-devices.js'
import {LmdbJournal} from './lmdb-journal.js'
import {LmdbSettings} from './lmdb-settings.js'
import {LmdbTokens} from './lmdb-tokens.js'
import {StagedChunks} from './staged-chunks.js'

export async function openLmdbStorage(dataDir: string, options: {create?: boolean} = {}): Promise<ServerStorage> {
  if (
    options.create === false &&
    !(await stat(path.join(dataDir, 'db')).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    throw new NotFoundError(`no sync-server data folder at ${dataDir}`, {data: dataDir})
  }
  await mkdir(path.join(dataDir, 'db'), {recursive: true})
  await mkdir(path.join(dataDir, 'chunks'), {recursive: true})
  const env = openEnv(path.join(dataDir, 'db'))
  await stampFormat(env, dataDir).catch(async (error) => {
    await env.close()
    throw error
  })
  const staged = new StagedChunks(env)
  const chunks = new LmdbChunks(path.join(dataDir, 'chunks'), staged)
  return {
    journal: new LmdbJournal(env, chunks, staged),
    chunks,
    tokens: new LmdbTokens(env),
    settings: new LmdbSettings(env),
    devices: new LmdbDevices(env),
    async close() {
      try {
        await chunks.close()
      } finally {
        await env.close()
      }
    },
  }
}

/**
 * Refuses a data folder of a newer format; records today's in one of an older format or none (new, or made before
 * versions). Every older format is a subset of today's (format 2 added tree manifests to format 1), so the upgrade
 * rewrites nothing; from then on an older sync-server refuses the folder rather than misread a tree.
 */
async function stampFormat(env: RootDatabase, dataDir: string): Promise<void> {
  const meta = env.openDB<number, string>({name: 'data-meta'})
  checkFormat(`the sync-server data folder ${dataDir}`, meta.get('format'), FORMATS.serverData)
  if (meta.get('format') !== FORMATS.serverData) await durableTransaction(env, () => meta.putSync('format', FORMATS.serverData))
}
