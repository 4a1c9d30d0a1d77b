/**
 * `sync-server backup --data DIR --to DIR`: a consistent copy of a data folder, online (a server may serve it
 * meanwhile) and compacted. The order makes it consistent (docs/storage.md: a chunk is in its pack, fsynced,
 * before the index names it, and indexed, or staged in DATA/db with the entry, before a journal entry names it; a
 * staged copy is dropped only once the chunk is indexed):
 *   1. the journal's LMDB environment (DATA/db), copied by LMDB in one read transaction (a snapshot);
 *   2. per namespace, its chunk index (DATA/chunks/NS/db), in the same way, after the journal: it indexes every
 *      chunk the copied journal names;
 *   3. then the packs that index can name (numbers below its `nextPack`): they hold every block it names, since
 *      blocks are written before they are indexed, and packs are only appended to.
 * A garbage collection that deletes a pack between 2 and 3 makes that namespace's copy start again. The copy is
 * then checked as `sync-server fsck` does (every chunk, every present file's chunks), and is a data folder: to
 * restore, stop the server and put the copy in place of the data folder.
 */
import {copyFile, mkdir, open, readdir, rm, stat} from 'node:fs/promises'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {checkFormat, FORMATS} from '#src/db/format-version.js'
import {openEnv} from '#src/db/open-env.js'
import {CorruptDataError, InvalidInputError, NotFoundError} from '#src/errors/index.js'
import {fsckServer} from '../fsck.js'
import {openLmdbStorage} from '../storage/lmdb/open-lmdb-storage.js'
import {USAGE} from './usage.js'

/** Tries per namespace before a collection that keeps deleting packs under the copy is an error. */
const TRIES = 5

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  )

/** LMDB's own copy of the environment in `from` into the new folder `to` (compacted: free pages left out). */
async function copyEnv(from: string, to: string): Promise<void> {
  await mkdir(to, {recursive: true})
  const env = openEnv(from, {readOnly: true})
  try {
    await env.backup(to, true)
  } finally {
    await env.close()
  }
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Pack file names are the pack number in 8 hex digits (src/store/chunk-store.ts). */
const packNumber = (name: string): number | undefined => (/^[0-9a-f]{8}\.pack$/.test(name) ? parseInt(name.slice(0, 8), 16) : undefined)

/** Copies one namespace's chunk store; false when a pack its index names was deleted meanwhile (try again). */
async function copyStore(from: string, to: string): Promise<boolean> {
  await rm(to, {recursive: true, force: true})
  await copyEnv(path.join(from, 'db'), path.join(to, 'db'))
  const copied = openEnv(path.join(to, 'db'), {readOnly: true})
  const nextPack = copied.openDB<number, string>({name: 'store-meta'}).get('nextPack') ?? 1
  await copied.close()
  await mkdir(path.join(to, 'packs'))
  for (const name of await readdir(path.join(from, 'packs'))) {
    const number = packNumber(name)
    if (number === undefined || number >= nextPack) continue
    const target = path.join(to, 'packs', name)
    try {
      await copyFile(path.join(from, 'packs', name), target)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw error
    }
    await fsyncFile(target)
  }
  return true
}

export interface BackupReport {
  namespaces: number
  packs: number
  bytes: number
}

export async function backupDataFolder(data: string, to: string): Promise<BackupReport> {
  if (!(await exists(path.join(data, 'db')))) throw new NotFoundError(`no sync-server data folder at ${data}`, {data})
  if ((await exists(to)) && (await readdir(to)).length > 0) throw new InvalidInputError(`${to} exists and is not empty: back up into a new folder`)
  const meta = openEnv(path.join(data, 'db'), {readOnly: true})
  try {
    checkFormat(`the sync-server data folder ${data}`, meta.openDB<number, string>({name: 'data-meta'}).get('format'), FORMATS.serverData)
  } finally {
    await meta.close()
  }
  await copyEnv(path.join(data, 'db'), path.join(to, 'db'))
  const stores = (await exists(path.join(data, 'chunks'))) ? await readdir(path.join(data, 'chunks')) : []
  await mkdir(path.join(to, 'chunks'), {recursive: true})
  for (const namespace of stores) {
    let tries = 0
    while (!(await copyStore(path.join(data, 'chunks', namespace), path.join(to, 'chunks', namespace)))) {
      if (++tries >= TRIES) throw new CorruptDataError(`namespace ${namespace}: its packs kept changing under the copy (garbage collection); try again`)
    }
  }
  const storage = await openLmdbStorage(to, {create: false})
  try {
    const checks = await fsckServer(storage)
    const bad = checks.filter((check) => check.damaged.length > 0 || check.incomplete.length > 0)
    if (bad.length > 0)
      throw new CorruptDataError(`the copy fails its check in ${bad.map((check) => check.namespace).join(', ')}: run sync-server fsck --data ${data}`)
    return {namespaces: checks.length, packs: checks.reduce((sum, check) => sum + check.packs, 0), bytes: await folderBytes(to)}
  } finally {
    await storage.close()
  }
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, {withFileTypes: true, recursive: true})) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath ?? entry.path, entry.name))).size
  }
  return total
}

export async function runBackup(args: string[]): Promise<number> {
  const {values} = parseArgs({args, options: {data: {type: 'string'}, to: {type: 'string'}, json: {type: 'boolean'}, help: {type: 'boolean', short: 'h'}}})
  if (values.help) {
    process.stdout.write(USAGE.backup)
    return 0
  }
  const data = values.data ?? process.env.SYNC_SERVER_DATA
  if (!data) throw new InvalidInputError('backup needs --data DIR')
  if (!values.to) throw new InvalidInputError('backup needs --to DIR (a new folder)')
  const report = await backupDataFolder(data, values.to)
  process.stdout.write(
    values.json
      ? `${JSON.stringify({to: values.to, ...report}, null, 2)}\n`
      : `backed up ${report.namespaces} namespaces (${report.packs} packs, ${(report.bytes / 1e6).toFixed(1)} MB) to ${values.to}; checked\n`,
  )
  return 0
}
