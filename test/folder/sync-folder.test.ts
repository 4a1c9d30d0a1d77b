import {existsSync} from 'node:fs'
import test from 'ava'
import {initFolder} from '#src/folder/init-folder.js'
import {SyncFolder} from '#src/folder/sync-folder.js'
import {tempDir} from '../helpers/temp.js'

test('a state loaded through the folder removes the clean snapshot before it saves a change, whoever saves it', async (t) => {
  const {root} = await initFolder(await tempDir(t))
  const folder = await SyncFolder.open(root)
  t.teardown(() => folder.close())
  const state = folder.loadState()
  await folder.markClean(state)
  t.true(existsSync(folder.layout.clean))
  await state.save()
  t.true(existsSync(folder.layout.clean), 'nothing to save: the snapshot still holds')
  const other = folder.loadState()
  other.cursor = 7
  await other.save()
  t.false(existsSync(folder.layout.clean), 'a saved change took it away')
})
