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
  state.set('gone.cook', {base: {jid: 4}, remote: {jid: 4}})
  state.cursor = 4
  const file = path.join(dir, 'clean')
  await writeCleanSnapshot(file, state)
  t.deepEqual(await readCleanSnapshot(file), {cursor: 4, files: new Map([['a.cook', stat]])})
  const good = await readFile(file)
  const count = Buffer.from(good)
  count.writeUInt32LE(2, 11)
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
