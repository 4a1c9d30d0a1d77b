/** Which folders are nested synced folders (src/scan/nested-folders.ts): real folders holding a `.sync/` only, never through a link. */
import {mkdir, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {nestedFolderFinder} from '#src/scan/nested-folders.js'
import {tempDir} from '../helpers/temp.js'

test('a real folder with a .sync/ is nested; a link to it, or to the root, is not, nor anything below a link or a file', async (t) => {
  const root = await tempDir(t)
  await mkdir(path.join(root, '.sync'))
  await mkdir(path.join(root, 'notes/.sync'), {recursive: true})
  await mkdir(path.join(root, 'plain/deeper'), {recursive: true})
  await mkdir(path.join(root, 'fake'))
  await writeFile(path.join(root, 'fake/.sync'), 'a file, not a folder')
  await writeFile(path.join(root, 'file.txt'), 'text')
  await symlink('.', path.join(root, 'to-root'))
  await symlink('notes', path.join(root, 'to-notes'))
  await symlink('..', path.join(root, 'plain/up'))
  const nestedOf = nestedFolderFinder(root)
  t.is(nestedOf('notes/today.txt'), 'notes')
  t.is(nestedOf('notes'), 'notes')
  for (const relative of [
    'plain/deeper/x.txt',
    'fake/x.txt',
    'to-root/x.txt',
    'to-root/notes/x.txt',
    'to-notes/x.txt',
    'plain/up/notes/x.txt',
    'file.txt/x',
    'absent/x',
  ]) {
    t.is(nestedOf(relative), undefined, relative)
  }
})
