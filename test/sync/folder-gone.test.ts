/**
 * A synced folder moved, deleted or replaced under a running sync: its passes stop (FolderGoneError) instead of
 * writing through the old database into whatever has the path now, and go on once the folder is back.
 * Real server, real folders.
 */
import {appendFile, cp, readdir, readFile, rename, rm} from 'node:fs/promises'
import test from 'ava'
import {FolderGoneError} from '#src/errors/index.js'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'

test('a folder moved away, or replaced by a copy (a backup restored in its place), is not synced: nothing is written at its path; moved back, it syncs again', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  const b = await makeDevice(t, server, 'b')
  await a.pass()
  await b.pass()
  const names = (await readdir(b.root)).sort()
  const before = await readFile(b.file('Risotto.cook'), 'utf8')
  await appendFile(a.file('Risotto.cook'), 'A pinch of salt.\n')
  await a.pass()

  const moved = `${b.root}-moved`
  await rename(b.root, moved)
  await t.throwsAsync(b.pass(), {
    instanceOf: FolderGoneError,
    message: `${b.root} is no longer the folder this sync opened (moved, deleted or replaced, or its .sync/ was): nothing was synced; run sync in the folder's new place`,
  })
  await t.throwsAsync(readdir(b.root), {code: 'ENOENT'}, 'nothing made at the old path')

  // A copy of the folder, .sync/ and all, in its place: another database, not the one this sync holds.
  await cp(moved, b.root, {recursive: true})
  const packs = (await readdir(b.file('.sync/packs'))).sort()
  await t.throwsAsync(b.pass(), {instanceOf: FolderGoneError})
  t.is(await readFile(b.file('Risotto.cook'), 'utf8'), before, 'the copy is left as it was')
  t.deepEqual((await readdir(b.file('.sync/packs'))).sort(), packs, "nothing written into the copy's store")

  // Only the folder's .sync/ replaced: the same.
  await rm(b.root, {recursive: true})
  await rename(moved, b.root)
  await rename(b.file('.sync'), `${moved}-sync`)
  await cp(`${moved}-sync`, b.file('.sync'), {recursive: true})
  await t.throwsAsync(b.pass(), {instanceOf: FolderGoneError})
  await rm(b.file('.sync'), {recursive: true})
  await rename(`${moved}-sync`, b.file('.sync'))

  // Back in place: the pass goes on, and the edit arrives.
  await b.pass()
  t.is(await readFile(b.file('Risotto.cook'), 'utf8'), `${before}A pinch of salt.\n`)
  t.deepEqual((await readdir(b.root)).sort(), names)
})
