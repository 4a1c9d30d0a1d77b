import {readFile, writeFile} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import path from 'node:path'
import test from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {openEnv} from '#src/db/open-env.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {readCleanSnapshot, removeCleanSnapshot, writeCleanSnapshot} from '#src/state/clean-snapshot.js'
import {FolderState} from '#src/state/folder-state.js'
import {tempDir} from '../helpers/temp.js'

test('the snapshot holds every local file with its stat and the cursor; anything malformed reads as none', async (t) => {
  const dir = await tempDir(t)
  const env = openEnv(path.join(dir, 'db'))
  t.teardown(() => env.close())
  const state = FolderState.load(env)
  const stat = {size: 2, mtimeMs: 1700000000123.25, ctimeMs: 1700000000123.5, ino: 42, hashedAtMs: 1700000001000}
  state.set('a.cook', {local: {manifest: fileManifest(IdList.fromHex([]), 2), ...stat}, base: {jid: 3}, remote: {jid: 3}})
  const racy = {...stat, ino: 43, mtimeMs: stat.hashedAtMs - 10.5}
  state.set('racy.cook', {local: {manifest: fileManifest(IdList.fromHex([]), 2), ...racy}, base: {jid: 3}, remote: {jid: 3}})
  state.set('gone.cook', {base: {jid: 4}, remote: {jid: 4}})
  state.cursor = 4
  const file = path.join(dir, 'clean')
  await writeCleanSnapshot(file, state)
  const snapshot = await readCleanSnapshot(file)
  t.like(snapshot, {cursor: 4, size: 2})
  const seen = {size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino}
  t.true(snapshot!.unchanged('a.cook', seen), 'the stat it was hashed with')
  for (const field of ['size', 'mtimeMs', 'ctimeMs', 'ino'] as const) t.false(snapshot!.unchanged('a.cook', {...seen, [field]: seen[field] + 1}), field)
  t.false(
    snapshot!.unchanged('racy.cook', {size: racy.size, mtimeMs: racy.mtimeMs, ctimeMs: racy.ctimeMs, ino: racy.ino}),
    'modified within the racy window of its hashing',
  )
  t.false(snapshot!.unchanged('gone.cook', seen), 'a path it does not list')
  const good = await readFile(file)
  const count = Buffer.from(good)
  count.writeUInt32LE(3, 11)
  for (const [name, bad] of [
    ['empty', Buffer.alloc(0)],
    ['another format', Buffer.from('{"v":1,"cursor":4,"files":[]}')],
    ['cut short', good.subarray(0, good.length - 3)],
    ['a count that does not match', count],
    ['no final NUL', good.subarray(0, good.length - 1)],
  ] as const) {
    await writeFile(file, bad)
    t.is(await readCleanSnapshot(file), undefined, name)
  }
  removeCleanSnapshot(file)
  t.false(existsSync(file))
  t.notThrows(() => removeCleanSnapshot(file), 'removing an absent snapshot is fine')
  t.is(await readCleanSnapshot(file), undefined)
})
