/**
 * Symlinks are synced as links and never followed: no scan walks into one, no download, deletion or move goes
 * through one, whoever put it there (this device's user, another writer of the namespace). Real server, real
 * folders, real links pointing outside the synced folder.
 */
import {lstat, mkdir, readdir, readFile, readlink, rename, symlink, unlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {makeDevice, type Device} from '../helpers/device.js'
import {startTestServer, type TestServer} from '../helpers/server.js'
import {tempDir} from '../helpers/temp.js'
import {restoreVersion} from '#src/sync/restore-version.js'
import {FileAccessError} from '#src/errors/index.js'

/** A folder outside every synced folder, with a file the user never meant to share. */
async function outsideFolder(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const outside = path.join(await tempDir(t, 'sync-outside-'), 'private')
  await mkdir(outside)
  await writeFile(path.join(outside, 'secret.txt'), 'my bank password\n')
  return outside
}

/** Every path the journal ever had (a path sent and deleted again was still sent). */
async function journalPaths(server: TestServer): Promise<string[]> {
  return [...new Set((await server.storage.journal.range('recipes', 0, 1000)).map((entry) => entry.path))]
}

async function setup(t: Parameters<typeof startTestServer>[0]): Promise<{server: TestServer; a: Device; b: Device; outside: string}> {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  return {server, a, b, outside: await outsideFolder(t)}
}

test("a link to a folder outside (the user's own `ln -s ~ home`) is sent as a link: neither a full pass nor a pass over its path (the daemon's) reads what is behind it", async (t) => {
  const {server, a, b, outside} = await setup(t)
  await symlink(outside, a.file('home'))
  await a.pass(['home'])
  await a.pass(['home/secret.txt'])
  await a.pass()
  t.deepEqual(await journalPaths(server), ['home'])
  await b.pass()
  t.is(await readlink(b.file('home')), outside)
  t.deepEqual(await readdir(outside), ['secret.txt'])
})

test('a file the namespace has under a path that is a link here is not written through the link: not outside, not into .sync, not above the folder', async (t) => {
  const {a, b, outside} = await setup(t)
  await mkdir(a.file('x'))
  await mkdir(a.file('up'))
  await mkdir(a.file('s/packs'), {recursive: true})
  await writeFile(a.file('x/pwned'), 'planted\n')
  await writeFile(a.file('up/pwned'), 'planted\n')
  await writeFile(a.file('s/packs/fake.pack'), 'not a pack\n')
  await a.pass()
  await symlink(outside, b.file('x'))
  await symlink('..', b.file('up'))
  await symlink('.sync', b.file('s'))
  const summary = await b.pass()
  t.deepEqual((await readdir(outside)).sort(), ['secret.txt'])
  t.false(await exists(path.join(b.root, '..', 'pwned')))
  t.false(await exists(path.join(b.root, '.sync', 'packs', 'fake.pack')))
  t.false(summary.scan.changed.some((p) => p.startsWith('x/') || p.startsWith('up/') || p.startsWith('s/')))
  // The store still works: another pass, and a file written through it.
  await writeFile(a.file('after.txt'), 'still syncing\n')
  await a.pass()
  await b.pass()
  t.is(await readFile(b.file('after.txt'), 'utf8'), 'still syncing\n')
})

test('a remote deletion is not carried out through a link: a synced folder moved out and linked back keeps its files', async (t) => {
  const {a, b, outside} = await setup(t)
  await mkdir(a.file('x'))
  await writeFile(a.file('x/notes.txt'), 'keep me\n')
  await a.pass()
  await b.pass()
  // B's user moves the folder elsewhere and links it back; A deletes the file meanwhile.
  const moved = path.join(outside, 'x')
  await rename(b.file('x'), moved)
  await symlink(moved, b.file('x'))
  await unlink(a.file('x/notes.txt'))
  await a.pass()
  await b.pass(['x'])
  await b.pass(['x/notes.txt'])
  await b.pass()
  t.is(await readFile(path.join(moved, 'notes.txt'), 'utf8'), 'keep me\n')
  t.true((await lstat(b.file('x'))).isSymbolicLink())
})

test('restore refuses to write through a link and leaves the outside alone', async (t) => {
  const {a, b, outside} = await setup(t)
  await mkdir(a.file('x'))
  await writeFile(a.file('x/pwned'), 'planted\n')
  await a.pass()
  const jid = a.syncer.state.get('x/pwned')!.base!.jid
  await symlink(outside, b.file('x'))
  await t.throwsAsync(() => restoreVersion(b.syncer, 'x/pwned', jid), {code: 'E_BLOCKED_PATH'})
  t.deepEqual(await readdir(outside), ['secret.txt'])
})

test("`.syncignore` made a link by another writer is not read on this device: the pass stops with the link's name, and what the rules kept here is not sent", async (t) => {
  const {server, a, b, outside} = await setup(t)
  await writeFile(a.file('.syncignore'), 'private/\n')
  await a.pass()
  await b.pass()
  await mkdir(b.file('private'))
  await writeFile(b.file('private/diary.txt'), 'not for the others\n')
  await b.pass()
  // Another writer, with a client of its own, makes the shared rules a link to a file of b's.
  const [rules] = (await server.storage.journal.range('recipes', 0, 1000)).filter((entry) => entry.path === '.syncignore')
  const secret = path.join(outside, 'secret.txt')
  t.like(await a.client.commit([{path: '.syncignore', base: rules!.jid, manifest: {kind: 'symlink', target: secret}}]), [{status: 'committed'}])
  await b.pass()
  t.is(await readlink(b.file('.syncignore')), secret)
  const error = await t.throwsAsync(b.pass(), {instanceOf: FileAccessError})
  t.is(error?.reason, 'rules-link')
  t.is(error?.path, b.file('.syncignore'))
  t.false((await journalPaths(server)).includes('private/diary.txt'))
  // The user replaces the link with the rules as a file: syncing goes on, with the rules.
  await unlink(b.file('.syncignore'))
  await writeFile(b.file('.syncignore'), 'private/\n')
  await b.pass()
  await a.pass()
  t.is(await readFile(a.file('.syncignore'), 'utf8'), 'private/\n')
  t.false((await journalPaths(server)).includes('private/diary.txt'))
})

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  )
}
