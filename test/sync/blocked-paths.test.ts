import {existsSync} from 'node:fs'
/**
 * One path that cannot be synced never stops the others: it is reported once (an event), kept in the state for
 * `sync status`, and the rest of the folder syncs. Real server, real folders; the "compromised server" writes
 * its journal directly.
 */
import {readFile, writeFile} from 'node:fs/promises'
import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {makeDevice} from '../helpers/device.js'
import {plant} from '../helpers/plant-entry.js'
import {startTestServer} from '../helpers/server.js'

test('a local name the protocol refuses is reported once and kept in the state; every other file syncs', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  const bad = 'bell\u0007.txt'
  await writeFile(a.file(bad), 'a name with a control character\n')
  await writeFile(a.file('fine.txt'), 'fine\n')
  const first = await a.pass()
  t.deepEqual(
    first.blocked.map((x) => [x.path, x.side]),
    [[bad, 'here']],
  )
  t.deepEqual(
    a.events.filter((e) => e.type === 'blocked').map((e) => e.path),
    [bad],
  )
  t.is(first.uploaded, 1)
  await writeFile(a.file('later.txt'), 'later\n')
  const second = await a.pass()
  t.is(second.uploaded, 1)
  t.is(a.events.filter((e) => e.type === 'blocked').length, 1, 'reported once, not at every pass')
  t.deepEqual(
    a.syncer.state.blocked.map((x) => x.path),
    [bad],
  )
  await b.pass()
  t.deepEqual(
    (await server.storage.journal.heads('recipes', undefined, 100)).heads.map((h) => h.path),
    ['fine.txt', 'later.txt'],
  )
})

test('an entry the journal should never have held (a name too long for any disk, a path into .sync, a .sync planted below the top) is refused and reported; the rest syncs, and the report goes when the journal deletes it', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  const long = `${'日'.repeat(100)}.txt`
  await plant(server, long, 'file')
  await plant(server, '.sync/packs/x', 'file')
  // Another writer's config: `sync` run from inside notes/ would otherwise take notes/ for a folder of that writer's.
  await plant(server, 'notes/.sync/config.json', 'file')
  await writeFile(a.file('fine.txt'), 'fine\n')
  await a.pass()
  const summary = await b.pass()
  t.is(summary.downloaded, 1)
  t.deepEqual(summary.blocked.map((x) => [x.path, x.side]).sort(), [
    ['.sync/packs/x', 'server'],
    ['notes/.sync/config.json', 'server'],
    [long, 'server'],
  ])
  t.false(existsSync(b.file('notes/.sync')))
  t.deepEqual((await b.pass()).blocked.length, 3, 'still reported: the journal will not send them again')
  await plant(server, long, 'deleted')
  t.deepEqual(
    (await b.pass()).blocked.map((x) => x.path),
    ['.sync/packs/x', 'notes/.sync/config.json'],
  )
})

test('a version whose chunks the server lacks waits, reported by name; every other file of the pass syncs, and it comes once the chunk is there', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  const text = 'a line the server never got\n'
  await plant(server, 'lost.cook', 'file', fileManifest(IdList.fromHex([sha256Hex(Buffer.from(text))]), text.length))
  await writeFile(a.file('fine.cook'), 'fine\n')
  await a.pass()
  const first = await b.pass()
  t.is(await readFile(b.file('fine.cook'), 'utf8'), 'fine\n')
  t.false(existsSync(b.file('lost.cook')))
  t.deepEqual(
    first.blocked.map((x) => [x.path, x.reason, x.side]),
    [['lost.cook', 'the server lacks 1 of its chunks', 'disk']],
  )
  // The chunk reaches the server (here through A's store, as a re-upload would): the next pass writes the file.
  await writeFile(a.file('same.cook'), text)
  await a.pass()
  t.deepEqual((await b.pass()).blocked, [])
  t.is(await readFile(b.file('lost.cook'), 'utf8'), text)
})
