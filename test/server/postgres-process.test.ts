/**
 * The real server process on PostgreSQL: `sync-server migrate`, the admin verbs with --db, serving with SYNC_SERVER_DB and
 * SYNC_SERVER_BLOBS (a commit acknowledged before SIGKILL is there after a restart), and what it refuses.
 */
import test from 'ava'
import pg from 'pg'
import {fileManifest} from '#src/manifest/manifest.js'
import {IdList} from '#src/chunk/id-list.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {freshDatabase} from '../helpers/postgres.js'
import {tempDir} from '../helpers/temp.js'
import {runServer, startServer} from './support/server-process.js'
import {version} from './support/versions.js'

async function migrated(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const db = await freshDatabase(t)
  const run = await runServer(['migrate', '--db', db])
  t.is(run.exitCode, 0, String(run.stderr))
  return db
}

test('migrate: applies the schema once, says so, and does nothing the second time', async (t) => {
  const db = await freshDatabase(t)
  const first = await runServer(['migrate', '--db', db, '--json'])
  t.is(first.exitCode, 0, String(first.stderr))
  t.deepEqual(JSON.parse(String(first.stdout)), {
    from: 0,
    to: 3,
    applied: [
      {version: 1, name: 'initial'},
      {version: 2, name: 'encryption'},
      {version: 3, name: 'quota'},
    ],
  })
  const again = await runServer(['migrate'], {SYNC_SERVER_DB: db})
  t.is(again.exitCode, 0, String(again.stderr))
  t.is(String(again.stdout), 'the database is at schema 3: nothing to do')
  const help = await runServer(['migrate', '--help'])
  t.regex(String(help.stdout), /^Usage: sync-server migrate --db URL/)
})

test('a database not migrated, or migrated by a newer version, is refused with exit 17; an unreachable one with 8', async (t) => {
  const db = await freshDatabase(t)
  const blobs = await tempDir(t)
  const unmigrated = await runServer(['token', 'create', '--db', db, '--blobs', `file://${blobs}`, '--namespace', 'home', '--device', 'laptop'])
  t.is(unmigrated.exitCode, 17)
  t.regex(String(unmigrated.stderr), /^error: the database's schema is version 0, this sync-server needs 3: run sync-server migrate --db URL$/)
  t.is((await runServer(['migrate', '--db', db])).exitCode, 0)
  const client = new pg.Client({connectionString: db})
  await client.connect()
  await client.query(`INSERT INTO schema_migrations (version, name) VALUES (4, 'from the future')`)
  await client.end()
  for (const args of [
    ['migrate', '--db', db],
    ['--db', db, '--blobs', `file://${blobs}`, '--port', '0'],
  ]) {
    const newer = await runServer(args)
    t.is(newer.exitCode, 17, String(newer.stderr))
    t.regex(
      String(newer.stderr),
      /^error: the database was migrated by a newer version of sync-server \(schema 4; this one knows up to 3\): update sync-server$/,
    )
  }
  const unreachable = await runServer(['migrate', '--db', 'postgres://postgres@127.0.0.1:1/none'])
  t.is(unreachable.exitCode, 8)
  t.regex(String(unreachable.stderr), /^error: cannot use the database: /)
  const noBlobs = await runServer(['--db', db, '--port', '0'])
  t.is(noBlobs.exitCode, 2)
  t.regex(String(noBlobs.stderr), /--db needs --blobs URL too/)
})

test('serving from PostgreSQL: tokens made with --db, commits acknowledged before SIGKILL survive a restart, fsck and gc work', async (t) => {
  const db = await migrated(t)
  const blobs = `file://${await tempDir(t)}`
  const made = await runServer(['token', 'create', '--db', db, '--blobs', blobs, '--namespace', 'home', '--device', 'laptop'])
  t.is(made.exitCode, 0, String(made.stderr))
  const token = String(made.stdout)
  const env = {SYNC_SERVER_DB: db, SYNC_SERVER_BLOBS: blobs}
  const data = await tempDir(t)
  const server = await startServer(t, data, env)
  const journal = new JournalClient({url: server.url, namespace: 'home', token}, {timeoutMs: 10_000})
  t.teardown(() => journal.close())
  const acked: number[] = []
  for (let i = 0; i < 10; i++) {
    const v = version(`file ${i}\n`, `line two ${i}\n`)
    const [result] = await journal.commit([{path: `f${i}.cook`, base: null, manifest: fileManifest(IdList.fromHex(v.ids), v.size)}], {
      inline: new Map(v.chunks.map((c) => [c.id, c.bytes])),
    })
    t.is(result.status, 'committed')
    if (result.status === 'committed') acked.push(result.jid)
  }
  server.child.kill('SIGKILL')
  await server.child
  t.deepEqual(acked, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  const restarted = await startServer(t, data, env)
  const after = new JournalClient({url: restarted.url, namespace: 'home', token}, {timeoutMs: 10_000})
  t.teardown(() => after.close())
  t.is((await after.changes(0)).head, 10)
  const fsck = await runServer(['fsck', '--json'], env)
  t.is(fsck.exitCode, 0, String(fsck.stderr))
  t.like(JSON.parse(String(fsck.stdout)), {ok: true, namespaces: [{namespace: 'home', chunks: 20, heads: 10, damaged: [], incomplete: []}]})
  const gc = await runServer(['gc', '--grace', '0s', '--json'], env)
  t.is(gc.exitCode, 0, String(gc.stderr))
  t.like(JSON.parse(String(gc.stdout)).namespaces[0], {namespace: 'home', liveChunks: 20})
  t.is((await restarted.stop()).exitCode, 0)
})
