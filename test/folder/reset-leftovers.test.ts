/** What a crashed reset left beside `.sync/`: which names are its, and which leftovers may go. */
import {mkdir, readdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {isResetLeftover, removeResetLeftover, STAGED} from '#src/folder/reset-leftovers.js'
import {tempPathFor} from '#src/util/temp-path.js'
import {tempDir} from '../helpers/temp.js'

test("only the temp names made beside .sync/ are a reset's", (t) => {
  t.true(isResetLeftover(path.basename(tempPathFor('/folder/.sync'))))
  t.false(isResetLeftover(path.basename(tempPathFor('/folder/.syncignore'))))
  t.false(isResetLeftover(path.basename(tempPathFor('/folder/Risotto.cook'))))
  t.false(isResetLeftover('..sync.sync-notours.tmp'))
  t.false(isResetLeftover('.sync'))
})

test('a half-built or set-aside state goes; a complete new one waiting for its swap stays', async (t) => {
  const root = await tempDir(t)
  const [building, complete] = [path.basename(tempPathFor(path.join(root, '.sync'))), path.basename(tempPathFor(path.join(root, '.sync')))]
  await mkdir(path.join(root, building, 'packs'), {recursive: true})
  await writeFile(path.join(root, building, 'packs', '00000001.pack'), 'chunks')
  await mkdir(path.join(root, complete))
  await writeFile(path.join(root, complete, STAGED), '')
  t.true(await removeResetLeftover(root, building))
  t.false(await removeResetLeftover(root, complete))
  t.deepEqual(await readdir(root), [complete])
})
