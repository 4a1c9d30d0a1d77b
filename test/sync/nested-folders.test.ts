/**
 * A synced folder inside a synced folder belongs to its own namespace only: the outer one never sends its files,
 * and when a folder the outer one synced becomes a nested synced folder, no deletion is sent for it (it is
 * treated like an ignored folder). Real server, real folders, a Syncer per device, and a daemon for the marker
 * appearing while it runs.
 */
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {initFolder} from '#src/folder/init-folder.js'
import type {Device} from '../helpers/device.js'
import {deletionsSent, devicePair as pair, journalPaths, settle} from '../helpers/device-pair.js'
import {startDaemon} from '../helpers/test-daemon.js'
import type {TestServer} from '../helpers/server.js'
import {waitFor} from '../helpers/wait-for.js'

const OIL = 'db/olive oil/shopping.yml'

const exists = (file: string) =>
  readFile(file).then(
    () => true,
    () => false,
  )

/** Makes `relative` inside `device`'s folder a synced folder of namespace `notes`. */
async function nest(server: TestServer, device: Device, relative: string): Promise<void> {
  await initFolder(device.file(relative), {device: `${device.name}-notes`, server: {url: server.url, namespace: 'notes', token: await server.token('notes')}})
}

test('a nested synced folder is never sent into the outer namespace, and says so once', async (t) => {
  const {server, a, b} = await pair(t)
  await mkdir(a.file('notes/deep'), {recursive: true})
  await writeFile(a.file('notes/todo.md'), 'buy saffron\n')
  await writeFile(a.file('notes/deep/plan.md'), 'cook\n')
  await nest(server, a, 'notes')
  await writeFile(a.file('Pantry.md'), 'an ordinary new file\n')
  await settle(a, b)
  t.false(
    (await journalPaths(server)).some((p) => p.startsWith('notes/')),
    'nothing of notes/ reached the journal',
  )
  t.true((await journalPaths(server)).includes('Pantry.md'))
  t.false(await exists(b.file('notes/todo.md')))
  t.true(await exists(b.file('Pantry.md')))
  t.deepEqual(
    a.events.filter((e) => e.type === 'nested').map((e) => e.path),
    ['notes'],
  )
  // Another device's file at a path inside the nested folder is not written into it.
  await mkdir(b.file('notes'))
  await writeFile(b.file('notes/from-b.md'), 'from b\n')
  await settle(b, a)
  t.true((await journalPaths(server)).includes('notes/from-b.md'))
  t.false(await exists(a.file('notes/from-b.md')))
})

test('a synced folder that becomes a nested synced folder sends no deletion, and is tracked again once its marker goes', async (t) => {
  const {server, a, b} = await pair(t)
  const oilOnB = await readFile(b.file(OIL), 'utf8')
  await nest(server, a, 'db')
  await settle(a, b)
  t.deepEqual(await deletionsSent(server), [])
  t.is(await readFile(b.file(OIL), 'utf8'), oilOnB)
  t.true(a.syncer.state.get(OIL)!.ignored)
  // Inside the nested folder, an edit and a deletion are not sent.
  await writeFile(a.file(OIL), 'edited inside the nested folder\n')
  await rm(a.file('db/sea salt/shopping.yml'))
  await settle(a, b)
  t.deepEqual(await deletionsSent(server), [])
  t.is(await readFile(b.file(OIL), 'utf8'), oilOnB)
  // The marker goes: the edit made meanwhile is sent, and the file deleted meanwhile comes back.
  await rm(a.file('db/.sync'), {recursive: true})
  await settle(a, b)
  t.is(await readFile(b.file(OIL), 'utf8'), 'edited inside the nested folder\n')
  t.true(await exists(a.file('db/sea salt/shopping.yml')))
  t.deepEqual(await deletionsSent(server), [])
})

test('a daemon that sees a nested synced folder appear stops syncing it without deleting anything', async (t) => {
  const {server, a, b} = await pair(t)
  const {errors} = startDaemon(t, a)
  await nest(server, a, 'db')
  await waitFor('the daemon to report the nested folder', () => a.events.some((e) => e.type === 'nested' && e.path === 'db'))
  await writeFile(a.file(OIL), 'edited inside the nested folder\n')
  await writeFile(a.file('Pantry.md'), 'sent after the edit\n')
  // Pantry.md is written after the edit: once it is in the journal, the edit's pass has run too.
  await waitFor('Pantry.md in the journal', async () => (await journalPaths(server)).includes('Pantry.md'))
  await a.syncer.idle()
  t.deepEqual(await deletionsSent(server), [])
  t.is((await journalPaths(server)).filter((p) => p === OIL).length, 1, 'only the first version of the oil list')
  await settle(b)
  t.not(await readFile(b.file(OIL), 'utf8'), 'edited inside the nested folder\n')
  t.true(await exists(path.join(b.root, 'db/sea salt/shopping.yml')))
  t.deepEqual(errors, [])
})
