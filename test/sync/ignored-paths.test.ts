/**
 * Ignored means "this device does not track it", never "delete it": a new rule sends no deletion and removes
 * nothing on disk; rules also filter downloads; `.sync/ignore` is this device's own (selective sync). Real
 * server, real folders, a Syncer per device.
 */
import {appendFile, mkdir, readFile, unlink, writeFile} from 'node:fs/promises'
import test from 'ava'
import {deletionsSent, devicePair as pair, settle} from '../helpers/device-pair.js'
import type {TestServer} from '../helpers/server.js'

const OIL = 'db/olive oil/shopping.yml'
const SALT = 'db/sea salt/shopping.yml'

async function headPaths(server: TestServer): Promise<string[]> {
  return (await server.storage.journal.heads('recipes', undefined, 1000)).heads.map((head) => head.path)
}

test('a new rule in .syncignore sends no deletion: the files stay on both devices and on the server', async (t) => {
  const {server, a, b} = await pair(t)
  await appendFile(a.file('.syncignore'), 'db/\n')
  await settle(a, b)
  t.deepEqual(await deletionsSent(server), [])
  t.true((await headPaths(server)).includes(OIL) && (await headPaths(server)).includes(SALT))
  t.is(await readFile(b.file('.syncignore'), 'utf8'), 'db/\n')
  for (const device of [a, b]) {
    t.true((await readFile(device.file(OIL), 'utf8')).length > 0, device.name)
    t.true(device.syncer.state.get(OIL)!.ignored, device.name)
  }
  // Ignored files are not tracked: an edit or a deletion of one is not sent.
  await writeFile(a.file(OIL), 'changed while ignored\n')
  await unlink(a.file(SALT))
  const quiet = await a.pass()
  t.is(quiet.uploaded + quiet.deleted, 0)
  t.deepEqual(await deletionsSent(server), [])
  t.not(await readFile(b.file(OIL), 'utf8'), 'changed while ignored\n')
})

test(".sync/ignore is this device's own: it neither downloads nor deletes what it ignores, and the other device is not affected", async (t) => {
  const {server, a, b} = await pair(t)
  await writeFile(b.file('.sync/ignore'), 'db/\n')
  await b.pass()
  // A changes and adds files under db/: B receives none of it.
  await writeFile(a.file(OIL), 'new oil list\n')
  await mkdir(a.file('db/pepper'))
  await writeFile(a.file('db/pepper/shopping.yml'), 'pepper\n')
  await a.pass()
  const received = await b.pass()
  t.is(received.downloaded, 0)
  t.not(await readFile(b.file(OIL), 'utf8'), 'new oil list\n')
  t.false(
    await readFile(b.file('db/pepper/shopping.yml')).then(
      () => true,
      () => false,
    ),
  )
  // B deletes an ignored file: nothing is sent.
  await unlink(b.file(SALT))
  t.is((await b.pass()).deleted, 0)
  t.true((await headPaths(server)).includes(SALT))
  t.true((await readFile(a.file(SALT))).length > 0)
  // Remote deletions of ignored paths do not remove B's copy either.
  await unlink(a.file(OIL))
  await a.pass()
  await b.pass()
  t.true((await readFile(b.file(OIL))).length > 0)
  // The rule file itself is not synced.
  t.false((await headPaths(server)).some((p) => p.includes('ignore') && p !== '.syncignore'))
})

test('a rule taken away tracks the paths again: an edit made meanwhile is sent, a file deleted meanwhile comes back', async (t) => {
  const {a, b} = await pair(t)
  await writeFile(b.file('.sync/ignore'), 'db/\n')
  await b.pass()
  await writeFile(b.file(OIL), 'edited while ignored\n')
  await unlink(b.file(SALT))
  const original = await readFile(a.file(SALT), 'utf8')
  await unlink(b.file('.sync/ignore'))
  await settle(a, b)
  t.is(await readFile(a.file(OIL), 'utf8'), 'edited while ignored\n')
  t.is(await readFile(b.file(SALT), 'utf8'), original)
  t.is(await readFile(a.file(SALT), 'utf8'), original)
})

test("the operating systems' folder files are ignored by default", async (t) => {
  const {server, a} = await pair(t)
  await writeFile(a.file('.DS_Store'), 'finder\n')
  await writeFile(a.file('Breakfast/Thumbs.db'), 'explorer\n')
  await writeFile(a.file('desktop.ini'), '[.ShellClassInfo]\n')
  t.is((await a.pass()).uploaded, 0)
  t.false((await headPaths(server)).some((p) => /DS_Store|Thumbs|desktop/.test(p)))
})
