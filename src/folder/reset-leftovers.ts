/**
 * What a reset (reset-state.ts) stopped by a crash leaves in the folder's root beside `.sync/`, named as temp files
 * are (`..sync.sync-XXXXXXXX.tmp`): the new state it was still building, or the old `.sync/` it had set aside and
 * not yet removed (a whole store: it can be large). The scan, which removes the folder's temp files, removes these.
 */
import {rm, stat} from 'node:fs/promises'
import path from 'node:path'
import {logger} from '../util/logger.js'
import {TEMP_FILE_PATTERN} from '../util/temp-path.js'
import {SYNC_DIR_NAME} from './layout.js'

const debug = logger('reset')

/** Marks a new `.sync/` beside the old one as complete: it may replace it. */
export const STAGED = 'reset-staged'

/** A name tempPathFor gives beside `.sync/`. */
export const isResetLeftover = (name: string): boolean => name.startsWith(`.${SYNC_DIR_NAME}.sync-`) && TEMP_FILE_PATTERN.test(name)

/**
 * Removes the leftover `name` in `root`, whose `.sync/` is in place and whose lock the caller holds (so no reset is
 * under way). A complete new state is left alone: only finishing its reset (finishInterruptedReset) may take it,
 * and the versions kept on this device were copied into it. Whether it was removed.
 */
export async function removeResetLeftover(root: string, name: string): Promise<boolean> {
  const dir = path.join(root, name)
  if (await isCompleteReset(dir)) {
    debug('left %s: a complete new state', dir)
    return false
  }
  await rm(dir, {recursive: true, force: true})
  debug('removed %s, left by a reset that did not finish', dir)
  return true
}

/** Whether the new state in `dir` was marked complete (STAGED): it may replace `.sync/`. */
export const isCompleteReset = (dir: string): Promise<boolean> =>
  stat(path.join(dir, STAGED)).then(
    (s) => s.isFile(),
    () => false,
  )
