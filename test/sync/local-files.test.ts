import {lstatSync, utimesSync} from 'node:fs'
import {lstat, readFile, readdir, readlink, stat, utimes, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {LocalChangedError} from '#src/errors/local-changed-error.js'
import {statUnchanged} from '#src/scan/stat-cache.js'
import {deleteVersion, moveVersion, placedVersion, placeTemp, writeTemp, writeVersion} from '#src/sync/local-files.js'
import type {FileManifest} from '#src/manifest/manifest.js'
import {tempStore} from '../helpers/store.js'
import {tempDir} from '../helpers/temp.js'

async function setup(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t)
  const {store} = await tempStore(t)
  const manifest = (text: string, exec = false): FileManifest => {
    const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? []
    return {kind: 'file', size: Buffer.byteLength(text), exec, ids: IdList.fromHex(lines.map((l) => store.add(Buffer.from(l))))}
  }
  return {root, store, manifest}
}

test('writes a new file (making folders), then replaces it only while it is as recorded', async (t) => {
  const {root, store, manifest} = await setup(t)
  const first = await writeVersion(root, 'a/b/recipe.cook', manifest('one\ntwo\n'), store, undefined)
  t.is(await readFile(path.join(root, 'a/b/recipe.cook'), 'utf8'), 'one\ntwo\n')
  const second = await writeVersion(root, 'a/b/recipe.cook', manifest('one\nTWO\n'), store, first)
  t.is(await readFile(path.join(root, 'a/b/recipe.cook'), 'utf8'), 'one\nTWO\n')
  // The user edits the file after it was recorded: the write must not happen.
  await writeFile(path.join(root, 'a/b/recipe.cook'), 'user edit, longer than before\n')
  await t.throwsAsync(writeVersion(root, 'a/b/recipe.cook', manifest('three\n'), store, second), {instanceOf: LocalChangedError})
  t.is(await readFile(path.join(root, 'a/b/recipe.cook'), 'utf8'), 'user edit, longer than before\n')
  t.deepEqual(await readdir(path.join(root, 'a/b')), ['recipe.cook'], 'no temp file left behind')
})

test('a file that appeared where nothing was expected is not overwritten', async (t) => {
  const {root, store, manifest} = await setup(t)
  await writeFile(path.join(root, 'new.cook'), 'mine\n')
  await t.throwsAsync(writeVersion(root, 'new.cook', manifest('theirs\n'), store, undefined), {instanceOf: LocalChangedError})
  t.is(await readFile(path.join(root, 'new.cook'), 'utf8'), 'mine\n')
})

test('symlinks are written as links; the executable bit is applied', async (t) => {
  const {root, store, manifest} = await setup(t)
  await writeVersion(root, 'link', {kind: 'symlink', target: 'some/where'}, store, undefined)
  t.is(await readlink(path.join(root, 'link')), 'some/where')
  t.true((await lstat(path.join(root, 'link'))).isSymbolicLink())
  await writeVersion(root, 'run.sh', manifest('echo hi\n', true), store, undefined)
  t.truthy((await stat(path.join(root, 'run.sh'))).mode & 0o100)
})

test('delete removes the file and the folders it leaves empty, only while it is as recorded', async (t) => {
  const {root, store, manifest} = await setup(t)
  const written = await writeVersion(root, 'x/y/z.cook', manifest('z\n'), store, undefined)
  await writeVersion(root, 'x/keep.cook', manifest('k\n'), store, undefined)
  await deleteVersion(root, 'x/y/z.cook', written)
  t.deepEqual(await readdir(path.join(root, 'x')), ['keep.cook'])
  const again = await writeVersion(root, 'x/w.cook', manifest('w\n'), store, undefined)
  await writeFile(path.join(root, 'x/w.cook'), 'edited meanwhile, longer\n')
  await t.throwsAsync(deleteVersion(root, 'x/w.cook', again), {instanceOf: LocalChangedError})
  t.is(await readFile(path.join(root, 'x/w.cook'), 'utf8'), 'edited meanwhile, longer\n')
})

test('move renames without rewriting, also case-only, and never onto an existing file', async (t) => {
  const {root, store, manifest} = await setup(t)
  const written = await writeVersion(root, 'old/Name.cook', manifest('content\n'), store, undefined)
  const inode = (await stat(path.join(root, 'old/Name.cook'))).ino
  const moved = await moveVersion(root, 'old/Name.cook', 'new/Name.cook', written)
  t.is((await stat(path.join(root, 'new/Name.cook'))).ino, inode)
  t.deepEqual(await readdir(root), ['new'])
  const renamed = await moveVersion(root, 'new/Name.cook', 'new/name.cook', moved)
  t.deepEqual(await readdir(path.join(root, 'new')), ['name.cook'])
  await writeFile(path.join(root, 'new/taken.cook'), 'x')
  await t.throwsAsync(moveVersion(root, 'new/name.cook', 'new/taken.cook', renamed), {instanceOf: LocalChangedError})
  t.is(await readFile(path.join(root, 'new/name.cook'), 'utf8'), 'content\n')
})

test('a written file is known from its rename, if its last write came a racy window before; else it is read again', async (t) => {
  const {root, store, manifest} = await setup(t)
  // A version whose temp was last written `agoMs` before now (its mtime set so: a loaded disk's fsync alone can
  // take longer than the racy window, which made a plain write's timing no test of it).
  const lastWritten = async (name: string, agoMs: number, text = 'one\ntwo\n') => {
    const writtenAt = Date.now() - agoMs - 1000
    const {temp} = await writeTemp(root, name, manifest(text), store)
    const lastWrite = new Date(Date.now() - agoMs)
    utimesSync(temp, lastWrite, lastWrite)
    const {mtimeMs, ino} = lstatSync(temp)
    return {temp, synced: {mtimeMs, ino}, writtenAt, manifest: manifest(text), expected: undefined}
  }
  // A small file placed within the window of its mtime: the next scan reads it again.
  const small = await placeTemp(root, 'small.cook', await lastWritten('small.cook', 0, 'one\n'))
  t.false(statUnchanged(small, await lstat(path.join(root, 'small.cook'))))
  // Its last bytes a second before its rename (as a big file's fsync takes, or the first files of a batch wait).
  const long = (name: string) => lastWritten(name, 1000)
  const version = await long('long.cook')
  const placing = Date.now()
  const placed = await placeTemp(root, 'long.cook', version)
  t.true(placed.hashedAtMs >= placing)
  t.true(statUnchanged(placed, await lstat(path.join(root, 'long.cook'))), 'the next scan does not read it again')
  await writeFile(path.join(root, 'long.cook'), 'one\nTWO\n')
  t.false(statUnchanged(placed, await lstat(path.join(root, 'long.cook'))), 'an edit since is read')
  // Written again after it was durable (its mtime moved before the rename): known only from the write's start.
  const rewritten = await long('rewritten.cook')
  await writeFile(rewritten.temp, 'one\nTwo\n')
  await utimes(rewritten.temp, new Date(), new Date(Date.now() - 500))
  const after = await placeTemp(root, 'rewritten.cook', rewritten)
  t.is(after.hashedAtMs, rewritten.writtenAt)
  t.false(statUnchanged(after, await lstat(path.join(root, 'rewritten.cook'))), 'the next scan reads it')
})

test('a version deleted between its rename and the lstat after is recorded as placed, with a stat no file matches', async (t) => {
  const {root, manifest} = await setup(t)
  const version = {temp: path.join(root, 'gone.tmp'), writtenAt: Date.now(), manifest: manifest('one\n'), expected: undefined}
  const recorded = placedVersion(version, Date.now(), undefined)
  t.like(recorded, {size: 4, ino: 0, mtimeMs: 0, ctimeMs: 0, hashedAtMs: 0})
  t.is(recorded.manifest, version.manifest)
  // Whatever appears at the path next is read, never taken for this version.
  await writeFile(path.join(root, 'gone.cook'), 'one\n')
  t.false(statUnchanged(recorded, await lstat(path.join(root, 'gone.cook'))))
  // A folder there by then: recorded the same way.
  t.like(placedVersion(version, Date.now(), await lstat(root)), {ino: 0})
})
