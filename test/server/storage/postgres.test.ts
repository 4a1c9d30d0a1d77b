/**
 * What only the PostgreSQL backend has: migrations run at once by two instances, its refusal of a database whose
 * commits are not durable, fsck over damaged or missing pack blobs, a failed flush that indexes nothing, a crashed
 * flush's blob deleted by a collection once past the grace, and the commit feed's listening connection coming back.
 */
import {mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import pg from 'pg'
import {sha256Hex} from '#src/chunk/hash.js'
import {DiskBlobStore} from '#server/storage/blobs/disk-blob-store.js'
import {withAdvisoryLock} from '#server/storage/postgres/advisory-lock.js'
import {migrate} from '#server/storage/postgres/migrate.js'
import {openPostgresStorage} from '#server/storage/postgres/open-postgres-storage.js'
import {CHANNEL} from '#server/storage/postgres/pg-feed.js'
import type {CommitNotice} from '#server/storage/types.js'
import {freshDatabase, testPool} from '../../helpers/postgres.js'
import {tempDir} from '../../helpers/temp.js'
import {waitFor} from '../../helpers/wait-for.js'

const lines = (prefix: string, count: number) =>
  Array.from({length: count}, (_, i) => {
    const bytes = Buffer.from(`${prefix} ${i}\n`)
    return {id: sha256Hex(bytes), bytes}
  })

async function query(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({connectionString: url})
  await client.connect()
  try {
    return await client.query(text, values)
  } finally {
    await client.end()
  }
}

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, {recursive: true, withFileTypes: true})).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
}

test('two instances migrating at once: one applies each migration, both end at the schema', async (t) => {
  const url = await freshDatabase(t)
  const pools = [testPool(t, url), testPool(t, url)]
  const reports = await Promise.all(pools.map((pool) => migrate(pool)))
  // Each migration takes the lock on its own: one instance may apply 1 and the other 2 and 3, never both the same one.
  t.deepEqual(
    reports.flatMap((report) => report.applied.map((m) => m.version)).sort((a, b) => a - b),
    [1, 2, 3],
  )
  t.deepEqual((await query(url, 'SELECT version FROM schema_migrations ORDER BY version')).rows, [{version: 1}, {version: 2}, {version: 3}])
})

test('a database that does not make commits durable is refused', async (t) => {
  const url = await freshDatabase(t)
  await query(url, `ALTER DATABASE ${new URL(url).pathname.slice(1)} SET synchronous_commit = off`)
  await t.throwsAsync(openPostgresStorage(url, new DiskBlobStore(await tempDir(t)), {migrate: true}), {
    code: 'E_INVALID_INPUT',
    message: /does not make commits durable \(fsync=on, synchronous_commit=off\)/,
  })
  t.is((await query(url, `SELECT to_regclass('schema_migrations') AS t`)).rows[0].t, null, 'nothing was written')
})

test('fsck names chunks whose blob bytes are damaged or whose blob is gone', async (t) => {
  const url = await freshDatabase(t)
  const blobs = await tempDir(t)
  const storage = await openPostgresStorage(url, new DiskBlobStore(blobs), {migrate: true})
  t.teardown(() => storage.close())
  const chunks = await storage.chunks.namespace('home')
  const [first, second] = [lines('first', 10), lines('second', 10)]
  for (const batch of [first, second]) {
    await chunks.add(batch)
    await chunks.flush()
  }
  const [damaged, lost] = (await filesUnder(blobs)).sort()
  const file = path.join(blobs, damaged)
  const bytes = await readFile(file)
  bytes[bytes.length >> 1] ^= 0xff
  await writeFile(file, bytes)
  await rm(path.join(blobs, lost))
  const report = await chunks.check()
  t.is(report.chunks, 20)
  // The blobs sort as they were written: the first batch's is the damaged one, the second's is gone.
  const named = (pack: string) => report.damaged.filter((d) => d.pack === pack).map((d) => d.id)
  t.deepEqual(named(lost).sort(), second.map((c) => c.id).sort())
  t.true(report.damaged.filter((d) => d.pack === lost).every((d) => /not in the store/.test(d.reason)))
  t.true(named(damaged).length >= 1)
  t.true(named(damaged).every((id) => first.some((c) => c.id === id)))
})

test('a flush whose blob cannot be written throws, indexes nothing and moves recoveries; the next flush works', async (t) => {
  const url = await freshDatabase(t)
  const root = await tempDir(t)
  // The blob folder is a file: every write fails (ENOTDIR), for root too.
  await writeFile(path.join(root, 'blobs'), 'not a folder')
  const storage = await openPostgresStorage(url, new DiskBlobStore(path.join(root, 'blobs')), {migrate: true})
  t.teardown(() => storage.close())
  const chunks = await storage.chunks.namespace('home')
  const batch = lines('lost', 5)
  await chunks.add(batch)
  const before = chunks.recoveries
  await t.throwsAsync(chunks.flush(), {code: 'ENOTDIR'})
  t.is(chunks.recoveries, before + 1)
  t.deepEqual(
    await chunks.missing(batch.map((c) => c.id)),
    batch.map((c) => c.id),
    'the chunks of the failed flush are dropped',
  )
  t.deepEqual((await query(url, 'SELECT count(*)::int AS n FROM chunks')).rows, [{n: 0}])
  await rm(path.join(root, 'blobs'))
  await mkdir(path.join(root, 'blobs'))
  await chunks.add(batch)
  await chunks.flush()
  t.deepEqual(await chunks.missing(batch.map((c) => c.id)), [])
})

test("a blob left by a crash between a flush's blob and its rows is deleted by a collection once past the grace", async (t) => {
  const url = await freshDatabase(t)
  const blobs = await tempDir(t)
  const store = new DiskBlobStore(blobs)
  const storage = await openPostgresStorage(url, store, {migrate: true})
  t.teardown(() => storage.close())
  const chunks = await storage.chunks.namespace('home')
  await chunks.add(lines('kept', 3))
  await chunks.flush()
  // What a flush that died after its blob leaves: a pack blob under the namespace's prefix, named by no row.
  const orphan = `packs/home/${(Date.now() - 10_000).toString(36)}-000000ff`
  await store.put(orphan, Buffer.from('bytes of a pack no row names'))
  const hooks = {mark: async () => {}, markLate: async () => {}}
  t.is((await chunks.collect(hooks, {graceMs: 3_600_000, rewriteBelow: 0.5})).orphanPacks, 0)
  t.true((await filesUnder(blobs)).includes(orphan))
  const report = await chunks.collect(hooks, {graceMs: 0, rewriteBelow: 0.5})
  t.is(report.orphanPacks, 1)
  t.deepEqual(await filesUnder(blobs), [], 'the orphan and the dead pack are gone')
})

test("a collection on one instance moves recoveries on the others at their next keepPresent, and drops what they kept of the chunks' places", async (t) => {
  const url = await freshDatabase(t)
  const blobs = await tempDir(t)
  const open = async (migrate: boolean) => {
    const storage = await openPostgresStorage(url, new DiskBlobStore(blobs), {migrate})
    t.teardown(() => storage.close())
    return storage.chunks.namespace('home')
  }
  const [a, b] = [await open(true), await open(false)]
  const dead = lines('dead', 5)
  await a.add(dead)
  await a.flush()
  t.deepEqual(await b.missing(dead.map((c) => c.id)), [], 'b knows them present (and keeps where they are)')
  const before = b.recoveries
  const report = await a.collect({mark: async () => {}, markLate: async () => {}}, {graceMs: 0, rewriteBelow: 0.5})
  t.is(report.deletedPacks, 1)
  await b.keepPresent(async () => {
    t.true(b.recoveries > before)
    t.deepEqual(
      await b.missing(dead.map((c) => c.id)),
      dead.map((c) => c.id),
    )
  })
  await t.throwsAsync(b.read(dead[0].id), {code: 'E_MISSING_CHUNKS'})
})

test('the commit feed delivers notices between instances, and listens again after its connection is cut, telling of the gap', async (t) => {
  const url = await freshDatabase(t)
  const open = async (migrate: boolean) => {
    const storage = await openPostgresStorage(url, new DiskBlobStore(await tempDir(t)), {migrate})
    t.teardown(() => storage.close())
    return storage
  }
  const [a, b] = [await open(true), await open(false)]
  const heard: CommitNotice[] = []
  let gaps = 0
  t.teardown(
    b.feed.subscribe(
      (notice) => heard.push(notice),
      () => gaps++,
    ),
  )
  await b.feed.ready
  await a.feed.publish({namespace: 'home', jid: 1, client: 'c1'})
  await waitFor('the first notice', () => heard.length === 1, 10_000)
  t.deepEqual(heard, [{namespace: 'home', jid: 1, client: 'c1'}])
  await query(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`, [`LISTEN ${CHANNEL}`])
  // Notices published while it is down are lost (the journal stays the truth); once back, it hears them again.
  await waitFor(
    'a notice after the reconnection',
    async () => {
      await a.feed.publish({namespace: 'home', jid: 2})
      return heard.some((notice) => notice.jid === 2)
    },
    10_000,
  )
  t.deepEqual(heard.at(-1), {namespace: 'home', jid: 2})
  t.is(gaps, 1, 'the subscriber was told notices may have been lost (its waiters look at the journal again)')
})

test('a connection ended while checked out (a lock held, between queries) is closed at release, not an uncaught error; the next holder gets a fresh one', async (t) => {
  const url = await freshDatabase(t)
  const pool = testPool(t, url, 1)
  const result = await withAdvisoryLock(pool, 'sync-test', 'shared', async (client) => {
    const pid = (await client.query<{pid: number}>('SELECT pg_backend_pid() AS pid')).rows[0].pid
    const ended = new Promise((resolve) => client.once('end', resolve))
    // As a PostgreSQL restart or an administrator would: the client is idle, so only an 'error' event can tell it.
    await query(url, 'SELECT pg_terminate_backend($1)', [pid])
    await ended
    return pid
  })
  const next = await withAdvisoryLock(
    pool,
    'sync-test',
    'exclusive',
    async (client) => (await client.query<{pid: number}>('SELECT pg_backend_pid() AS pid')).rows[0].pid,
  )
  t.not(next, result, 'the ended connection went back to no one')
})
