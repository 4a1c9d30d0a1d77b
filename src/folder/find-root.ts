/** Finds the synced folder that holds `start`, walking up to the first parent with a `.sync/`, as git does. */
import {stat} from 'node:fs/promises'
import path from 'node:path'
import {NotASyncFolderError} from '../errors/index.js'
import {folderLayout} from './layout.js'

export async function findRoot(start: string): Promise<string> {
  let dir = path.resolve(start)
  for (;;) {
    const found = await stat(folderLayout(dir).config).then(
      (s) => s.isFile(),
      () => false,
    )
    if (found) return dir
    const parent = path.dirname(dir)
    if (parent === dir) throw new NotASyncFolderError(path.resolve(start))
    dir = parent
  }
}
