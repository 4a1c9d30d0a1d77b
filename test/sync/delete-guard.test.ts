/**
 * The delete guard, both ways: a pass that would send, or apply, more deletions than the thresholds allow holds
 * them and syncs everything else; approving lets them through, restoring brings the files back; a folder that
 * looks empty or is gone never sends deletions. Real server, real folders, a Syncer per device.
 */
import {rmSync} from 'node:fs'
import {mkdir, readdir, readFile, rename, rm, unlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {FolderState} from '#src/state/folder-state.js'
import {type PassSummary, Syncer} from '#src/sync/syncer.js'
import {makeDevice, type Device} from '../helpers/device.js'
import {startTestServer, type TestServer} from '../helpers/server.js'
import {startDaemon} from '../helpers/test-daemon.js'
import {waitFor} from '../helpers/wait-for.js'

const NOTES = Array.from({length: 80}, (_, i) => `notes/note-${String(i).padStart(2, '0')}.txt`)

async function settle(...devices: Device[]): Promise<void> {
  for (let round = 0; round < 3; round++) for (const device of devices) await device.pass()
}

async function deletionsSent(server: TestServer): Promise<number> {
  return (await server.storage.journal.range('recipes', 0, 10_000)).filter((entry) => entry.kind === 'deleted').length
}

/** Two devices with the cookbook and 80 notes (111 files), in sync. */
async function pair(t: Parameters<typeof startTestServer>[0], aOptions: Pick<NonNullable<Parameters<typeof makeDevice>[3]>, 'onProgress'> = {}) {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true, ...aOptions})
  await mkdir(a.file('notes'))
  for (const note of NOTES) await writeFile(a.file(note), `${note}\n`)
  const b = await makeDevice(t, server, 'b')
  await settle(a, b)
  return {server, a, b}
}

const exists = (file: string) =>
  readFile(file).then(
    () => true,
    () => false,
  )

test('60 of 111 files deleted at once: held, said once, and everything else still syncs; approving sends them', async (t) => {
  const {server, a, b} = await pair(t)
  for (const note of NOTES.slice(0, 60)) await unlink(a.file(note))
  await writeFile(a.file('Risotto.cook'), 'still syncing\n')
  const first = await a.pass()
  t.is(first.held.length, 60)
  t.true(first.held.every((h) => h.type === 'delete-remote' && h.why === 'mass-delete'))
  t.is(first.uploaded, 1)
  t.is(await deletionsSent(server), 0)
  t.deepEqual(
    a.events.filter((e) => e.type === 'held').map((e) => [e.count, e.why, e.direction]),
    [[60, 'mass-delete', 'up']],
  )
  await a.pass()
  t.is(a.events.filter((e) => e.type === 'held').length, 1, 'said once')
  await b.pass()
  t.true(await exists(b.file(NOTES[0])))
  t.is(await readFile(b.file('Risotto.cook'), 'utf8'), 'still syncing\n')

  a.syncer.holds.approve(a.syncer.state.held.map((h) => h.path))
  const approved = await a.pass()
  t.is(approved.deleted, 60)
  t.deepEqual(approved.held, [])
  t.deepEqual(a.syncer.state.held, [])
  // B has a guard of its own: the same deletions arriving are held there until approved there too.
  t.is((await b.pass()).held.length, 60)
  t.true(await exists(b.file(NOTES[0])))
  b.syncer.holds.approve(b.syncer.state.held.map((h) => h.path))
  t.is((await b.pass()).deleted, 60)
  t.false(await exists(b.file(NOTES[0])))
  t.true(await exists(b.file(NOTES[60])))
})

test('a held batch stays held when most of it stops being deletions: the rest does not slip under the threshold', async (t) => {
  const {server, a} = await pair(t)
  for (const note of NOTES.slice(0, 60)) await unlink(a.file(note))
  t.is((await a.pass()).held.length, 60)
  // A rule now ignores 50 of them: no longer deletions; the 10 left are under the threshold on their own.
  await writeFile(a.file('.syncignore'), NOTES.slice(0, 50).join('\n') + '\n')
  const next = await a.pass()
  t.is(next.held.length, 10)
  t.is(await deletionsSent(server), 0, 'nothing deleted until the user decides')
  a.syncer.holds.approve(a.syncer.state.held.map((h) => h.path))
  t.is((await a.pass()).deleted, 10)
})

test('a hold is said once it is on disk: a command run on hearing it (restore --held, status) finds it there', async (t) => {
  const {a} = await pair(t)
  for (const note of NOTES.slice(0, 60)) await unlink(a.file(note))
  const onDisk: number[] = []
  const listener = new Syncer(a.folder, a.client, {
    device: 'a',
    onEvent: (event) => {
      if (event.type === 'held') onDisk.push(FolderState.load(a.folder.env).held.length)
    },
  })
  await listener.pass()
  t.deepEqual(onDisk, [60])
})

test('40 deletions at once go through: under the default threshold of 50', async (t) => {
  const {server, a} = await pair(t)
  for (const note of NOTES.slice(0, 40)) await unlink(a.file(note))
  t.is((await a.pass()).deleted, 40, '40 is under the 50-file threshold')
  t.is(await deletionsSent(server), 40)
})

test('held deletions of this device are undone by restore: the files come back from the server', async (t) => {
  const {server, a} = await pair(t)
  for (const note of NOTES.slice(0, 60)) await unlink(a.file(note))
  await a.pass()
  const restored = a.syncer.holds.restore(a.syncer.state.held.map((h) => h.path))
  t.is(restored.length, 60)
  const summary = await a.pass()
  t.is(summary.downloaded, 60)
  t.deepEqual(summary.held, [])
  t.is(await readFile(a.file(NOTES[0]), 'utf8'), `${NOTES[0]}\n`)
  t.is(await deletionsSent(server), 0)
})

test("another device's mass deletion is held here, naming that device; restore sends the files back to it", async (t) => {
  const {a, b} = await pair(t)
  for (const note of NOTES.slice(0, 60)) await unlink(a.file(note))
  await a.pass()
  a.syncer.holds.approve(a.syncer.state.held.map((h) => h.path))
  await a.pass()
  const here = await b.pass()
  t.is(here.held.length, 60)
  t.true(here.held.every((h) => h.type === 'delete-local' && h.from === 'a'))
  t.deepEqual(
    b.events.filter((e) => e.type === 'held').map((e) => [e.count, e.direction, e.from]),
    [[60, 'down', 'a']],
  )
  t.true(await exists(b.file(NOTES[0])))
  b.syncer.holds.restore(b.syncer.state.held.map((h) => h.path))
  t.is((await b.pass()).uploaded, 60)
  await a.pass()
  t.is(await readFile(a.file(NOTES[0]), 'utf8'), `${NOTES[0]}\n`)
})

test('a folder emptied (an unmounted disk looks like this) sends no deletion, however few', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  await a.pass()
  for (const name of await readdir(a.root)) if (name !== '.sync') await rm(a.file(name), {recursive: true})
  const summary = await a.pass()
  t.is(summary.held.length, 31)
  t.true(summary.held.every((h) => h.why === 'folder-empty'))
  t.is(await deletionsSent(server), 0)
})

test('a folder emptied with its .syncignore sends no deletion, though the files the rule kept out arrive in the same pass (chaos seed 1033)', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  const b = await makeDevice(t, server, 'b')
  await settle(a, b)
  await writeFile(a.file('.syncignore'), 'Breakfast/\n')
  await settle(a, b)
  t.true(b.syncer.state.get('Breakfast/Easy Pancakes.cook')?.ignored, "a shared rule keeps Breakfast/ out of b's sync")
  for (const name of await readdir(b.root)) if (name !== '.sync') await rm(b.file(name), {recursive: true})
  const summary = await b.pass()
  t.true(summary.downloaded > 0, 'the rule went with the wipe: Breakfast/ came in')
  t.true(summary.held.length > 20, `${summary.held.length} held`)
  t.true(summary.held.every((h) => h.type === 'delete-remote' && h.why === 'folder-empty'))
  t.is(await deletionsSent(server), 0, 'the files the folder had are deleted nowhere')
  t.true(await exists(a.file('Risotto.cook')))
})

test('an rm -rf of a small folder under way while a pass told its paths runs: the pass waits before deleting much of it, finds it empty, and sends no deletion', async (t) => {
  const server = await startTestServer(t)
  const notes = NOTES.slice(0, 12).map((note) => path.basename(note))
  let rest: string[] = []
  const settling: number[] = []
  const a = await makeDevice(t, server, 'a', {
    // The rest of the folder goes while the pass waits: as an `rm -rf` that began during its scan would end.
    onProgress: (phase, done, total) => {
      if (phase !== 'settle' || done > 0) return
      settling.push(total)
      for (const note of rest) rmSync(a.file(note))
      rest = []
    },
  })
  for (const note of notes) await writeFile(a.file(note), `${note}\n`)
  await a.pass()
  // The scan sees 5 of 12 gone (under 50, so no mass-delete by count); the other 7 go during the pass.
  rest = notes.slice(5)
  for (const note of notes.slice(0, 5)) await unlink(a.file(note))
  // Told the paths (as a watcher tells them): no second look at the folder, the wait before deleting much of it.
  const summary = await a.pass(notes.slice(0, 5))
  t.deepEqual(settling, [5], 'the pass waited once, before the deletions')
  t.is(await deletionsSent(server), 0, 'nothing deleted on the server')
  t.is(summary.held.length, 5)
  t.true(summary.held.every((h) => h.why === 'folder-empty'))
  const next = await a.pass()
  t.is(next.held.length, 12, 'the next pass sees the other 7 gone and holds them too')
  t.is(await deletionsSent(server), 0)
})

test('a daemon whose first scan runs in the middle of an rm -rf sends none of it: what the scan found waits for the quiet with the rest, and all is held', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  await a.pass()
  const [first, second] = (await readdir(a.root)).filter((name) => name.endsWith('.cook'))
  // Two files gone when the daemon starts: too few for the guard, had they gone alone.
  await unlink(a.file(first))
  await unlink(a.file(second))
  const passes: PassSummary[] = []
  startDaemon(t, a, {deletionDebounceMs: 3000, onPass: (summary) => passes.push(summary)})
  await waitFor('the first pass', () => passes.length > 0)
  t.deepEqual(passes[0].deferred.sort(), [first, second].sort())
  t.is(await deletionsSent(server), 0, 'the first pass sent no deletion')
  for (const name of await readdir(a.root)) if (name !== '.sync') await rm(a.file(name), {recursive: true})
  await waitFor('the deletions held', () => passes.some((summary) => summary.held.length === 31))
  t.true(passes.at(-1)!.held.every((h) => h.why === 'folder-empty'))
  t.is(await deletionsSent(server), 0)
})

test('a deletion a daemon finds when it starts goes once the folder is quiet', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  await a.pass()
  await unlink(a.file('Risotto.cook'))
  const passes: PassSummary[] = []
  startDaemon(t, a, {deletionDebounceMs: 100, onPass: (summary) => passes.push(summary)})
  await waitFor('the pass that sends the deletion', () => passes.some((summary) => summary.deleted === 1))
  t.deepEqual(passes[0].deferred, ['Risotto.cook'])
  t.is(passes[0].deleted, 0)
  t.is(await deletionsSent(server), 1)
})

test('one file deleted goes after one look: the folder is not shrinking', async (t) => {
  const server = await startTestServer(t)
  const settling: number[] = []
  const a = await makeDevice(t, server, 'a', {cookbook: true, onProgress: (phase, _done, total) => phase === 'settle' && settling.push(total)})
  await a.pass()
  const [one] = (await readdir(a.root)).filter((name) => name.endsWith('.cook'))
  await unlink(a.file(one))
  t.is((await a.pass()).deleted, 1)
  t.deepEqual(settling, [1])
  t.is(await deletionsSent(server), 1)
  await writeFile(a.file('Risotto.cook'), 'edited\n')
  await a.pass()
  t.deepEqual(settling, [1], 'a pass without deletions does not wait')
})

test('a full pass in the middle of an rm -rf of a large folder waits while it shrinks: the scan saw 20 of 111 gone, the guard judges all 111', async (t) => {
  const settling: number[] = []
  let steps: string[][] = []
  const {server, a} = await pair(t, {
    onProgress: (phase, _done, total) => {
      if (phase !== 'settle') return
      settling.push(total)
      for (const name of steps.shift() ?? []) rmSync(a.file(name), {recursive: true})
    },
  })
  // What the `rm -rf` removes while the pass waits, one step per look.
  steps = [NOTES.slice(20, 60), [...NOTES.slice(60), ...(await readdir(a.root)).filter((name) => name !== '.sync' && name !== 'notes')]]
  for (const note of NOTES.slice(0, 20)) await unlink(a.file(note))
  const summary = await a.pass()
  t.deepEqual(settling, [20, 60, 111], 'looked again while the deletions grew, and once more')
  t.is(await deletionsSent(server), 0, 'none of the 20 the scan saw was sent')
  t.is(summary.held.length, 111)
  t.true(summary.held.every((h) => h.why === 'folder-empty'))
})

test('a folder that vanished while its state stays open (a daemon on an unmounted disk) sends no deletion', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  await a.pass()
  await rename(a.root, `${a.root}-elsewhere`)
  t.teardown(() => rm(`${a.root}-elsewhere`, {recursive: true, force: true}))
  await t.throwsAsync(() => a.pass(), {
    code: 'E_FOLDER_GONE',
    message: `${a.root} is no longer the folder this sync opened (moved, deleted or replaced, or its .sync/ was): nothing was synced; run sync in the folder's new place`,
  })
  t.is(await deletionsSent(server), 0)
})
