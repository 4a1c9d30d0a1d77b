/**
 * The LMDB backend writes a commit's few small new chunks in the journal's transaction (staged-chunks.ts). A
 * process killed right after such a commit (test/helpers/commit-writer-child.ts) leaves the chunk in no pack,
 * only beside its entry; opening the data folder again moves it to the store. A commit whose work throws leaves
 * neither the entry nor the chunk: the two are never half-written.
 */
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {execa} from 'execa'
import {sha256Hex} from '#src/chunk/hash.js'
import {openEnv} from '#src/db/open-env.js'
import {ChunkStore} from '#src/store/chunk-store.js'
import {openLmdbStorage} from '#server/storage/lmdb/open-lmdb-storage.js'
import {fsckServer} from '#server/fsck.js'
import {repoRoot, tempDir} from '../../helpers/temp.js'

const child = path.join(repoRoot, 'dist', 'test', 'helpers', 'commit-writer-child.js')
const LINE = Buffer.from('staged with its entry\n')
const id = sha256Hex(LINE)

async function killedAfter(t: ExecutionContext, mode: 'commit' | 'refused'): Promise<{data: string; said: string}> {
  const data = await tempDir(t)
  const run = await execa('node', [child, data, mode, LINE.toString()], {cwd: repoRoot, reject: false})
  t.is(run.signal, 'SIGKILL', String(run.stderr))
  return {data, said: String(run.stdout).trim()}
}

/** What the folder holds before anything opens it as storage: the staged copies, and the namespace's store. */
async function onDisk(data: string): Promise<{staged: number; inStore: boolean}> {
  const env = openEnv(path.join(data, 'db'))
  const staged = env.openDB<Buffer, Buffer>({name: 'staged-chunks', keyEncoding: 'binary', encoding: 'binary'}).getKeysCount()
  await env.close()
  const chunksEnv = openEnv(path.join(data, 'chunks', 'home', 'db'))
  const inStore = ChunkStore.open(chunksEnv, path.join(data, 'chunks', 'home', 'packs')).missing([id]).length === 0
  await chunksEnv.close()
  return {staged, inStore}
}

test('a commit acknowledged and then killed: its chunk was durable with its entry, and is in the store once the folder is opened', async (t) => {
  const {data, said} = await killedAfter(t, 'commit')
  t.is(said, 'committed 1')
  t.deepEqual(await onDisk(data), {staged: 1, inStore: false}, 'one flush: the chunk is in the journal transaction, no pack yet')
  const storage = await openLmdbStorage(data, {create: false})
  t.teardown(() => storage.close())
  t.is(await storage.journal.head('home'), 1)
  t.deepEqual(await (await storage.chunks.namespace('home')).read(id), LINE)
  await storage.tokens.create({rights: 'read-write', namespace: 'home'})
  t.like(await fsckServer(storage), [{namespace: 'home', damaged: [], incomplete: []}])
  await storage.close()
  t.deepEqual(await onDisk(data), {staged: 0, inStore: true}, 'moved to the store, the staged copy dropped')
})

test('a commit whose work throws, then killed: neither its entry nor its chunk was written', async (t) => {
  const {data, said} = await killedAfter(t, 'refused')
  t.is(said, 'refused after writing its entry')
  t.deepEqual(await onDisk(data), {staged: 0, inStore: false})
  const storage = await openLmdbStorage(data, {create: false})
  t.teardown(() => storage.close())
  t.is(await storage.journal.head('home'), 0)
  t.deepEqual(await (await storage.chunks.namespace('home')).missing([id]), [id])
})
