/**
 * Versions made on a device that a remote change replaced or deleted are kept on that device
 * (src/state/kept-versions.ts), restorable when the server's history no longer has them, and kept by the
 * device's garbage collection for its keep-days; what came from the journal as it is is not kept again.
 */
import {mkdir, readdir, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import test from 'ava'
import {DAY_MS} from '#server/gc/plan-retention.js'
import {runGc} from '#server/gc/run-gc.js'
import {collectFolder} from '#src/sync/collect-folder.js'
import {restore} from '#src/sync/restore.js'
import {restoreVersion} from '#src/sync/restore-version.js'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'
import {tempDir} from '../helpers/temp.js'

async function twoDevices(t: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  return {server, a, b}
}

test("a version made here that another device's edit replaced is kept here, and comes back when the server's history is pruned", async (t) => {
  const {server, a, b} = await twoDevices(t)
  await writeFile(a.file('soup.cook'), 'Soup\n@leek{2}\n')
  await a.pass()
  await b.pass()
  const mine = 'Soup\n@leek{2}\nmy own line, written on a\n'
  await writeFile(a.file('soup.cook'), mine)
  await a.pass()
  const mineJid = a.syncer.state.get('soup.cook')!.base!.jid
  await b.pass()
  t.deepEqual(b.syncer.state.keptList(), [], 'what came from a as it is is not kept on b')

  await writeFile(b.file('soup.cook'), 'Soup\nreplaced by b\n')
  await b.pass()
  await a.pass()
  t.is(await readFile(a.file('soup.cook'), 'utf8'), 'Soup\nreplaced by b\n')
  const keptSaid = (events: typeof a.events) => events.filter((e) => e.path === 'soup.cook' && e.type === 'download').map((e) => e.kept === true)
  t.deepEqual(keptSaid(a.events), [true], 'the download that replaced it says so')
  t.deepEqual(keptSaid(b.events), [false, false], "b's downloads replaced what came from the journal, or nothing")
  const [kept, ...more] = a.syncer.state.keptList('soup.cook')
  t.deepEqual(more, [])
  t.like(kept, {path: 'soup.cook', replacedBy: {deleted: false, jid: b.syncer.state.get('soup.cook')!.base!.jid}})
  t.is(kept.manifest.size, Buffer.byteLength(mine))
  t.true(kept.id > 0, 'saved with the pass, under its number')

  // Another writer's stream of versions costs a nothing: each replaces a version that came from the journal.
  for (const text of ['Soup\nb, again\n', 'Soup\nb, and again\n']) {
    await writeFile(b.file('soup.cook'), text)
    await b.pass()
    await a.pass()
  }
  t.is(a.syncer.state.keptList().length, 1)

  // The server's history of the file pruned (its retention, or a server that lost it): the journal cannot give it back.
  await runGc(server.storage, {now: Date.now() + 200 * DAY_MS, graceMs: 0})
  await t.throwsAsync(restoreVersion(a.syncer, 'soup.cook', mineJid), {code: 'E_NOT_FOUND', message: /was pruned/})
  const done = await restore(a.syncer, {kind: 'kept', id: kept.id})
  t.deepEqual(done.restored, ['soup.cook'])
  t.is(await readFile(a.file('soup.cook'), 'utf8'), mine)
  await b.pass()
  t.is(await readFile(b.file('soup.cook'), 'utf8'), mine, 'sent as a new version')
  t.is(done.jid, b.syncer.state.get('soup.cook')!.base!.jid)
})

test("a file made here that another device deleted is kept here, and a file the scan reads again unchanged is still the journal's", async (t) => {
  const {a, b} = await twoDevices(t)
  await writeFile(a.file('bread.cook'), 'Bread\n@flour{500%g}\n')
  await writeFile(a.file('salad.cook'), 'Salad\n')
  await a.pass()
  await b.pass()
  // b reads its copy of salad.cook again (a touch changes its ctime): the same bytes, still not made on b.
  await writeFile(b.file('salad.cook'), 'Salad\n')
  await b.pass()
  t.true(b.syncer.state.get('salad.cook')!.local!.fromJournal)
  await rm(b.file('bread.cook'))
  await writeFile(a.file('salad.cook'), 'Salad, from a\n')
  await a.pass()
  await b.pass()
  t.deepEqual(b.syncer.state.keptList(), [], 'nothing of b was replaced')
  await a.pass()
  await t.throwsAsync(readFile(a.file('bread.cook')))
  const [kept] = a.syncer.state.keptList()
  t.like(kept, {path: 'bread.cook', replacedBy: {deleted: true}})
  await restore(a.syncer, {kind: 'kept', id: kept.id})
  await b.pass()
  t.is(await readFile(b.file('bread.cook'), 'utf8'), 'Bread\n@flour{500%g}\n')
  await t.throwsAsync(restore(a.syncer, {kind: 'kept', id: 99}), {code: 'E_NOT_FOUND', message: /no version 99 is kept/})
})

test("the device's garbage collection keeps the chunks of kept versions, and forgets those kept longer than keep-days", async (t) => {
  const {a, b} = await twoDevices(t)
  const oldLines = Array.from({length: 2000}, (_, i) => `a line only the old version has, ${i}\n`).join('')
  await writeFile(a.file('stew.cook'), 'Stew\na line only the kept version has\n')
  await writeFile(a.file('old.cook'), oldLines)
  await a.pass()
  await b.pass()
  const {state} = a.syncer
  // old.cook deleted here, and kept as if a remote deletion had taken it 31 days ago: past the default 30.
  const oldVersion = state.get('old.cook')!.local!
  await rm(a.file('old.cook'))
  await a.pass()
  state.keep('old.cook', oldVersion, {jid: state.get('old.cook')!.base!.jid, deleted: true}, Date.now() - 31 * DAY_MS)
  await writeFile(b.file('stew.cook'), 'Stew\n')
  await b.pass()
  await a.pass()
  t.deepEqual(
    state.keptList().map((k) => k.path),
    ['old.cook', 'stew.cook'],
  )
  const stewChunks = [...state.keptList('stew.cook')[0].manifest.ids]
  const oldChunks = oldVersion.manifest.kind === 'file' ? [...oldVersion.manifest.ids] : []
  t.true(oldChunks.length > 10, `${oldChunks.length} chunks`)

  const report = await collectFolder(a.syncer, {graceSeconds: 0})
  t.deepEqual(
    state.keptList().map((k) => k.path),
    ['stew.cook'],
    'the version past keep-days is forgotten',
  )
  t.true(
    stewChunks.every((id) => a.folder.store.has(id)),
    "the kept version's chunks stay",
  )
  t.false(
    oldChunks.some((id) => a.folder.store.has(id)),
    `the forgotten version's chunks went (${report.bytesBefore} -> ${report.bytesAfter} bytes)`,
  )
  await restore(a.syncer, {kind: 'kept', id: state.keptList('stew.cook')[0].id})
  t.is(await readFile(a.file('stew.cook'), 'utf8'), 'Stew\na line only the kept version has\n')
})

test('restoring a kept version never writes through a link put where its folder was', async (t) => {
  const {a, b} = await twoDevices(t)
  await mkdir(a.file('sub'))
  await writeFile(a.file('sub/soup.cook'), 'Soup, written on a\n')
  await a.pass()
  await b.pass()
  await writeFile(b.file('sub/soup.cook'), 'Soup, by b\n')
  await b.pass()
  await a.pass()
  const [kept] = a.syncer.state.keptList('sub/soup.cook')
  const outside = await tempDir(t)
  await rm(a.file('sub'), {recursive: true})
  await symlink(outside, a.file('sub'))
  await t.throwsAsync(restore(a.syncer, {kind: 'kept', id: kept.id}), {
    message: /sub is not a folder here \(a symlink or a file\), and sync never goes through it/,
  })
  t.deepEqual(await readdir(outside), [], 'nothing written outside the folder')
})
