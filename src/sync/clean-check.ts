/**
 * Whether a pass over the folder would have nothing to do, decided without opening the sync state: the files
 * are exactly those of the clean snapshot (src/state/clean-snapshot.ts), each with its stat and past its racy
 * window (the scan's own rule, stat-cache.ts), and the journal has nothing after the snapshot's cursor.
 */
import type {FolderLayout} from '../folder/layout.js'
import type {JournalClient} from '../journal/journal-client.js'
import {loadIgnoreRules} from '../scan/ignore-rules.js'
import {statUnchanged} from '../scan/stat-cache.js'
import {walkFolder} from '../scan/walk-folder.js'
import {readCleanSnapshot} from '../state/clean-snapshot.js'

/** The journal cursor the folder is in sync at, or undefined: run the pass. */
export async function checkClean(layout: FolderLayout, client: JournalClient): Promise<number | undefined> {
  const snapshot = await readCleanSnapshot(layout.clean)
  if (!snapshot) return undefined
  let matching = 0
  let differs = false
  const {unlistable, temps} = walkFolder(layout.root, await loadIgnoreRules(layout.root), (file) => {
    const known = snapshot.files.get(file.path)
    if (known && statUnchanged(known, file.stat)) matching++
    else differs = true
  })
  if (differs || matching !== snapshot.files.size || unlistable.length > 0 || temps.length > 0) return undefined
  const page = await client.changes(snapshot.cursor, {limit: 1})
  return page.entries.length === 0 ? snapshot.cursor : undefined
}
