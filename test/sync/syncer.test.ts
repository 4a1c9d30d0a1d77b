/**
 * The seed's use cases and the sync invariants, end to end: a real server (in process, loopback port), real
 * folders, a Syncer per device, `pass()` called directly.
 */
import {mkdir, readFile, rename, rm, stat, unlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {makeDevice, type Device} from '../helpers/device.js'
import {readTree} from '../helpers/tree.js'
import {startTestServer} from '../helpers/server.js'
import {cookbookFixture} from '../helpers/temp.js'

const tree = (device: Device) => readTree(device.root)

async function pair(t: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  const b = await makeDevice(t, server, 'b')
  return {server, a, b}
}

/** Both devices pass until neither has anything left; returns how many passes that took. */
async function settle(...devices: Device[]): Promise<void> {
  for (let round = 0; round < 4; round++) for (const device of devices) await device.pass()
}

test('a file uploaded on A is downloaded on B: the whole cookbook, byte for byte', async (t) => {
  const {a, b} = await pair(t)
  const first = await a.pass()
  t.is(first.uploaded, 31)
  t.deepEqual(first.pending, [])
  const second = await b.pass()
  t.is(second.downloaded, 31)
  t.deepEqual(await tree(b), await tree(a))
})

test('start-up with an unchanged journal does nothing; with a changed one applies only the news', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  const idle = await b.pass()
  t.is(idle.downloaded + idle.uploaded + idle.deleted, 0)
  t.deepEqual(idle.scan.changed, [])
  t.deepEqual(idle.pull.changed, [])
  await writeFile(a.file('Risotto.cook'), 'a new risotto\n')
  await a.pass()
  const news = await b.pass()
  t.is(news.downloaded, 1)
  t.is(await readFile(b.file('Risotto.cook'), 'utf8'), 'a new risotto\n')
})

test('one line edited, added and removed travel as edits and arrive exactly', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  const original = await readFile(a.file('Neapolitan Pizza.cook'), 'utf8')
  const lines = original.split('\n')
  const cases: [string, string][] = [
    ['edited', [...lines.slice(0, 5), 'An edited line.', ...lines.slice(6)].join('\n')],
    ['added', [...lines.slice(0, 8), 'An added line.', ...lines.slice(8)].join('\n')],
    ['removed', [...lines.slice(0, 3), ...lines.slice(4)].join('\n')],
  ]
  for (const [what, text] of cases) {
    await writeFile(a.file('Neapolitan Pizza.cook'), text)
    t.is((await a.pass()).uploaded, 1, what)
    t.is((await b.pass()).downloaded, 1, what)
    t.is(await readFile(b.file('Neapolitan Pizza.cook'), 'utf8'), text, what)
  }
})

test('a file removed on A is removed on B; an emptied file stays, empty', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  await unlink(a.file('Salads/Caprese.cook'))
  await writeFile(a.file('Risotto.cook'), '')
  await a.pass()
  const result = await b.pass()
  t.is(result.deleted, 1)
  t.is(result.downloaded, 1)
  await t.throwsAsync(stat(b.file('Salads/Caprese.cook')))
  await t.throwsAsync(stat(b.file('Salads')), undefined, 'the emptied folder goes too')
  t.is((await stat(b.file('Risotto.cook'))).size, 0)
})

test('a file moved or renamed on A is renamed on B, without moving its chunks again', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  await mkdir(a.file('Archive'))
  await rename(a.file('Breakfast/Easy Pancakes.jpg'), a.file('Archive/Pancakes.jpg'))
  await rename(a.file('Thai Green Curry.cook'), a.file('Green Curry.cook'))
  const sentBefore = a.client.traffic().sent
  const up = await a.pass()
  t.is(up.moved, 2)
  t.is(up.uploaded, 0)
  // The photo is 970 KB: a move sends its manifest at most, never its bytes.
  t.true(a.client.traffic().sent - sentBefore < 12_000, 'a move sends no chunk bytes')
  const receivedBefore = b.client.traffic().received
  const down = await b.pass()
  t.is(down.moved, 2)
  t.is(down.downloaded, 0)
  t.true(b.client.traffic().received - receivedBefore < 12_000, 'a move downloads no chunk bytes')
  t.deepEqual(await tree(b), await tree(a))
  t.true(b.events.some((e) => e.type === 'move-local' && e.from === 'Breakfast/Easy Pancakes.jpg'))
})

test('edits to different lines on both devices merge, and both end with the merge', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  const text = await readFile(a.file('Risotto.cook'), 'utf8')
  await writeFile(a.file('Risotto.cook'), text.replace('servings: 4', 'servings: 6'))
  await writeFile(b.file('Risotto.cook'), text.replace('Cover and let rest', 'Cover and let it rest'))
  await a.pass()
  const merge = await b.pass()
  t.is(merge.merged, 1)
  await a.pass()
  const expected = text.replace('servings: 4', 'servings: 6').replace('Cover and let rest', 'Cover and let it rest')
  t.is(await readFile(a.file('Risotto.cook'), 'utf8'), expected)
  t.is(await readFile(b.file('Risotto.cook'), 'utf8'), expected)
  t.deepEqual(merge.conflicts, [])
})

test('overlapping edits keep the remote version at the path and the local one as a conflict copy, on both devices', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  const text = await readFile(a.file('Risotto.cook'), 'utf8')
  await writeFile(a.file('Risotto.cook'), text.replace('servings: 4', 'servings: 2'))
  await writeFile(b.file('Risotto.cook'), text.replace('servings: 4', 'servings: 8'))
  await a.pass()
  const result = await b.pass()
  const copy = 'Risotto (conflict b 2026-11-25 120000).cook'
  t.deepEqual(result.conflicts, [copy])
  t.is(await readFile(b.file('Risotto.cook'), 'utf8'), text.replace('servings: 4', 'servings: 2'))
  t.is(await readFile(b.file(copy), 'utf8'), text.replace('servings: 4', 'servings: 8'))
  await a.pass()
  t.deepEqual(await tree(a), await tree(b))
})

test('a photo edited on both sides: the conflict copy keeps both', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  const photo = await readFile(a.file('Breakfast/Easy Pancakes.jpg'))
  const mineA = Buffer.concat([photo, Buffer.from('A')])
  const mineB = Buffer.concat([photo, Buffer.from('B')])
  await writeFile(a.file('Breakfast/Easy Pancakes.jpg'), mineA)
  await writeFile(b.file('Breakfast/Easy Pancakes.jpg'), mineB)
  await a.pass()
  const result = await b.pass()
  t.is(result.conflicts.length, 1)
  t.true((await readFile(b.file('Breakfast/Easy Pancakes.jpg'))).equals(mineA))
  t.true((await readFile(b.file(result.conflicts[0]))).equals(mineB))
})

test('an edit beats a delete, whichever side deletes', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  await unlink(a.file('Risotto.cook'))
  await writeFile(b.file('Risotto.cook'), 'edited on b\n')
  await unlink(b.file('lamb-chops.cook'))
  await writeFile(a.file('lamb-chops.cook'), 'edited on a\n')
  await settle(a, b)
  for (const device of [a, b]) {
    t.is(await readFile(device.file('Risotto.cook'), 'utf8'), 'edited on b\n')
    t.is(await readFile(device.file('lamb-chops.cook'), 'utf8'), 'edited on a\n')
  }
})

test('offline: edits on both sides queue while the server is down and meet when it is back', async (t) => {
  const {server, a, b} = await pair(t)
  await settle(a, b)
  await server.stop()
  await writeFile(a.file('Risotto.cook'), 'offline on a\n')
  await writeFile(b.file('Caprese offline.cook'), 'new on b\n')
  await t.throwsAsync(a.pass(), {code: 'E_NETWORK'})
  await t.throwsAsync(b.pass(), {code: 'E_NETWORK'})
  await server.start()
  await settle(a, b)
  t.deepEqual(await tree(a), await tree(b))
  t.is(await readFile(b.file('Risotto.cook'), 'utf8'), 'offline on a\n')
  t.is(await readFile(a.file('Caprese offline.cook'), 'utf8'), 'new on b\n')
})

test('symlinks and the executable bit travel as they are', async (t) => {
  const {a, b} = await pair(t)
  const {symlink, chmod, readlink, lstat} = await import('node:fs/promises')
  await symlink('Risotto.cook', a.file('favourite.cook'))
  await writeFile(a.file('make-list.sh'), '#!/bin/sh\necho shopping\n')
  await chmod(a.file('make-list.sh'), 0o755)
  await settle(a, b)
  t.true((await lstat(b.file('favourite.cook'))).isSymbolicLink())
  t.is(await readlink(b.file('favourite.cook')), 'Risotto.cook')
  t.truthy((await stat(b.file('make-list.sh'))).mode & 0o100)
})

test('a remote change never overwrites a local edit made after the scan', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  // B has scanned Risotto.cook. A changes it; then the user on B types into it before B's watcher fires:
  // B's next pass (scanning another path) pulls A's version and must not write over the typing.
  await writeFile(a.file('Risotto.cook'), 'from a\n')
  await a.pass()
  await writeFile(b.file('Risotto.cook'), 'typed on b just now\n')
  const result = await b.pass(['nothing-here'])
  t.true(result.skipped.some((s) => s.path === 'Risotto.cook'))
  t.is(await readFile(b.file('Risotto.cook'), 'utf8'), 'typed on b just now\n')
  // The next full pass sees the edit and keeps both versions.
  await settle(a, b)
  const files = await tree(b)
  t.true(Object.values(files).includes('typed on b just now\n'))
  t.true(Object.values(files).includes('from a\n'))
  t.deepEqual(await tree(a), files)
})

test('a new device joining with the same files already in its folder downloads nothing', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  await a.pass()
  const b = await makeDevice(t, server, 'b', {cookbook: true})
  const result = await b.pass()
  t.is(result.downloaded + result.uploaded, 0)
  t.deepEqual(result.conflicts, [])
  await rm(b.file('README.md'))
  await b.pass()
  await a.pass()
  await t.throwsAsync(stat(a.file('README.md')))
})

test('a move whose source was edited elsewhere meanwhile keeps the edit and the new name', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  await writeFile(b.file('Risotto.cook'), 'edited on b\n')
  await b.pass()
  // A moves the file without having read the journal (a daemon's watcher pass): the server refuses the move.
  await rename(a.file('Risotto.cook'), a.file('Risotto alla milanese.cook'))
  const moved = await a.syncer.pass({paths: ['Risotto.cook', 'Risotto alla milanese.cook'], pull: false})
  t.is(moved.moved, 0)
  await settle(a, b)
  t.deepEqual(await tree(a), await tree(b))
  const files = await tree(a)
  t.true(Object.values(files).includes('edited on b\n'), 'the edit survives')
  t.is(files['Risotto alla milanese.cook'], await readFile(path.join(cookbookFixture, 'Risotto.cook'), 'latin1'), 'the rename survives')
})

test('a move first learned through a conflict on its new path still removes the old path (chaos seed 3009)', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  await mkdir(a.file('Mains'))
  await rename(a.file('Risotto.cook'), a.file('Mains/Risotto.cook'))
  await a.pass()
  // B, not having read the journal, creates a file at the move's new path: its commit conflicts with the move.
  await mkdir(b.file('Mains'))
  await writeFile(b.file('Mains/Risotto.cook'), 'a different risotto\n')
  await b.syncer.pass({paths: ['Mains/Risotto.cook'], pull: false})
  await settle(a, b)
  t.deepEqual(await tree(a), await tree(b))
  await t.throwsAsync(stat(b.file('Risotto.cook')), undefined, 'the old path is gone on b')
  t.true(Object.values(await tree(b)).includes('a different risotto\n'))
})

test('a move whose old path another device had moved already becomes a plain create, and the old path stays usable (chaos seed 4031)', async (t) => {
  const {a, b} = await pair(t)
  await settle(a, b)
  await mkdir(b.file('Archive'))
  await rename(b.file('Risotto.cook'), b.file('Archive/Risotto.cook'))
  await b.pass()
  // A has not read the journal: it moves the same file elsewhere; the server finds the old path gone.
  await mkdir(a.file('Mains'))
  await rename(a.file('Risotto.cook'), a.file('Mains/Risotto.cook'))
  await a.syncer.pass({paths: ['Risotto.cook', 'Mains/Risotto.cook'], pull: false})
  // Later, a new file at the old path: its commit must name a real version of that path (or none).
  await writeFile(a.file('Risotto.cook'), 'a new recipe under the old name\n')
  await settle(a, b)
  t.deepEqual(await tree(a), await tree(b))
  t.is(await readFile(b.file('Risotto.cook'), 'utf8'), 'a new recipe under the old name\n')
})

test('a change committed by another device between our read of the journal and our commit is applied in the same pass', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFile(a.file('a.txt'), 'from a\n')
  await writeFile(b.file('b.txt'), 'from b\n')
  // A's read of the journal, taken before B commits: the pass below starts from it, as a daemon's long-poll answer.
  const page = await a.client.changes(0)
  await b.pass()
  const summary = await a.syncer.pass({page})
  t.is(summary.uploaded, 1)
  t.is(summary.downloaded, 1, 'b.txt came in with the catch-up read after our commit')
  t.is(await readFile(a.file('b.txt'), 'utf8'), 'from b\n')
  t.deepEqual(summary.pending, [])
})
