/**
 * Finds the synced folder that holds `start`, walking up to the first parent with a `.sync/`, as git does. A
 * folder whose `sync config set --reset` was cut short between its renames is one too: the reset is finished.
 */
import {stat} from 'node:fs/promises'
import path from 'node:path'
import {NotASyncFolderError} from '../errors/index.js'
import {folderLayout} from './layout.js'

const hasConfig = (dir: string) =>
  stat(folderLayout(dir).config).then(
    (s) => s.isFile(),
    () => false,
  )

/** Loaded only here: the usual start of a command (the fast path of `sync once`) finds `.sync/` at once. */
async function finishedReset(dir: string): Promise<boolean> {
  const {finishInterruptedReset} = await import('./reset-state.js')
  return finishInterruptedReset(dir)
}

export async function findRoot(start: string): Promise<string> {
  let dir = path.resolve(start)
  for (;;) {
    if ((await hasConfig(dir)) || ((await finishedReset(dir)) && (await hasConfig(dir)))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) throw new NotASyncFolderError(path.resolve(start))
    dir = parent
  }
}
