/**
 * A file on one device and a folder of the same name on another (`notes` vs `notes/today.txt`): both are kept,
 * the file under a conflict name, and the devices converge. Real server, real folders.
 */
import {lstat, mkdir, readdir, readFile, readlink, symlink, unlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {makeDevice, type Device} from '../helpers/device.js'
import {readTree} from '../helpers/tree.js'
import {startTestServer} from '../helpers/server.js'

const tree = (device: Device) => readTree(device.root, 'utf8')

/** Files with their contents, links as `link to TARGET` (never followed). */
async function treeAndLinks(device: Device, dir = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await readdir(path.join(device.root, dir), {withFileTypes: true})) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name
    const full = path.join(device.root, relative)
    if (relative === '.sync') continue
    if (entry.isSymbolicLink()) out[relative] = `link to ${await readlink(full)}`
    else if (entry.isDirectory()) Object.assign(out, await treeAndLinks(device, relative))
    else out[relative] = await readFile(full, 'utf8')
  }
  return out
}

async function settle(...devices: Device[]): Promise<void> {
  for (let round = 0; round < 4; round++) for (const device of devices) await device.pass()
}

async function clash(t: Parameters<typeof startTestServer>[0], fileFirst: boolean) {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFile(a.file('notes'), 'a file called notes\n')
  await mkdir(b.file('notes'))
  await writeFile(b.file('notes/today.txt'), 'a note in a folder\n')
  for (const device of fileFirst ? [a, b] : [b, a]) await device.pass()
  await settle(a, b)
  await bothKeptBeside(t, a, b, 'a file called notes\n')
}

/** Both devices hold the folder `notes` with its note and one conflict copy beside it holding `file`; nothing is left to do. */
async function bothKeptBeside(t: Parameters<typeof startTestServer>[0], a: Device, b: Device, file: string): Promise<Record<string, string>> {
  const [treeA, treeB] = [await tree(a), await tree(b)]
  t.deepEqual(treeA, treeB)
  t.is(treeA['notes/today.txt'], 'a note in a folder\n')
  const copies = Object.keys(treeA).filter((p) => p.startsWith('notes (conflict '))
  t.is(copies.length, 1, JSON.stringify(treeA))
  t.is(treeA[copies[0]], file)
  for (const device of [a, b]) {
    const idle = await device.pass()
    t.deepEqual(idle.pending, [])
    t.deepEqual(idle.blocked, [])
  }
  return treeA
}

test('the file reached the server first: the device with the folder writes it under a conflict name, and both converge', (t) => clash(t, true))

test('the folder reached the server first: the device with the file moves it to a conflict name, and both converge', (t) => clash(t, false))

test('a download done in the round that met a clash is still reported (its event, the pass count)', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFile(a.file('notes'), 'a file called notes\n')
  await writeFile(a.file('other.txt'), 'a file beside it\n')
  await a.pass()
  await mkdir(b.file('notes'))
  await writeFile(b.file('notes/today.txt'), 'a note in a folder\n')
  const pass = await b.pass()
  t.is((await tree(b))['other.txt'], 'a file beside it\n')
  t.deepEqual(
    b.events.filter((e) => e.type === 'download').map((e) => e.path),
    ['other.txt'],
  )
  t.is(pass.downloaded, 1)
})

test('a pipe where a remote file goes is left alone and reported, nothing renamed anywhere; gone, the file comes', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFile(a.file('queue'), 'a file called queue\n')
  await writeFile(a.file('other.txt'), 'a file beside it\n')
  await a.pass()
  await execa('mkfifo', [b.file('queue')])
  const pass = await b.pass()
  t.true((await lstat(b.file('queue'))).isFIFO(), 'the pipe is still there')
  t.is(await readFile(b.file('other.txt'), 'utf8'), 'a file beside it\n')
  t.deepEqual(pass.blocked, [{path: 'queue', reason: 'queue: a pipe, a socket or a device is in the way of this file (sync never replaces one)', side: 'disk'}])
  await settle(a, b)
  t.deepEqual(Object.keys(await tree(a)).sort(), ['other.txt', 'queue'], 'nothing renamed on the other device')
  await unlink(b.file('queue'))
  const after = await b.pass()
  t.deepEqual(after.blocked, [])
  t.is((await tree(b)).queue, 'a file called queue\n')
})

test('a folder moved to where this device has a file it edited (moved away elsewhere): the file steps aside, the move lands, both converge (chaos seed 774)', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await mkdir(b.file('risotto.cook'))
  await writeFile(b.file('risotto.cook/notes.cook'), 'notes in a folder named like a recipe\n')
  await writeFile(b.file('curry.cook'), 'Curry\n')
  await b.pass()
  await a.pass()
  // On b: the file curry.cook moves away, and the folder takes its name. On a, meanwhile: an edit of curry.cook.
  await execa('mv', [b.file('curry.cook'), b.file('curry-old.cook')])
  await execa('mv', [b.file('risotto.cook'), b.file('curry.cook')])
  await b.pass()
  await writeFile(a.file('curry.cook'), 'Curry\nedited on a\n')
  await settle(a, b)
  const [treeA, treeB] = [await tree(a), await tree(b)]
  t.deepEqual(treeA, treeB)
  t.is(treeA['curry.cook/notes.cook'], 'notes in a folder named like a recipe\n')
  t.true(Object.values(treeA).includes('Curry\nedited on a\n'), `the edit is kept: ${JSON.stringify(treeA)}`)
  const idle = await a.pass()
  t.deepEqual(idle.pending, [])
  t.deepEqual(idle.blocked, [])
})

test('a file moved (elsewhere) to where this device has a folder: the file lands under a conflict name beside it, both converge', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFile(a.file('pasta.cook'), 'Pasta\n')
  await a.pass()
  await b.pass()
  // On a: the file takes the name notes. On b, meanwhile: a folder called notes, with a note in it.
  await execa('mv', [a.file('pasta.cook'), a.file('notes')])
  await a.pass()
  await mkdir(b.file('notes'))
  await writeFile(b.file('notes/today.txt'), 'a note in a folder\n')
  await settle(b, a)
  const both = await bothKeptBeside(t, a, b, 'Pasta\n')
  t.false('pasta.cook' in both, 'moved, not copied')
})

test('a folder replaced by a link here while a file is added in it elsewhere: the link steps aside, the file comes, both converge (chaos seed 942)', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await mkdir(a.file('notes'))
  await writeFile(a.file('notes/old.txt'), 'an old note\n')
  await a.pass()
  await b.pass()
  await writeFile(a.file('notes/new.txt'), 'a new note\n')
  await a.pass()
  // On b, meanwhile: the folder goes, a link to the folder above takes its name.
  await execa('rm', ['-r', b.file('notes')])
  await symlink('.', b.file('notes'))
  await settle(b, a)
  const [treeA, treeB] = [await treeAndLinks(a), await treeAndLinks(b)]
  t.deepEqual(treeA, treeB)
  t.is(treeA['notes/new.txt'], 'a new note\n')
  t.deepEqual(
    Object.entries(treeA).filter(([, content]) => content === 'link to .'),
    [[Object.keys(treeA).find((p) => p.startsWith('notes (conflict '))!, 'link to .']],
    'the link is kept, beside',
  )
  for (const device of [a, b]) {
    const idle = await device.pass()
    t.deepEqual(idle.pending, [])
    t.deepEqual(idle.blocked, [])
  }
})
