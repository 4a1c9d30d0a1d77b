/**
 * Whether a pass over the folder would have nothing to do, decided without opening the sync state: the files
 * are exactly those of the clean snapshot (src/state/clean-snapshot.ts), each with its stat and past its racy
 * window (the scan's own rule, stat-cache.ts), and the journal has nothing after the snapshot's cursor.
 */
import type {FolderLayout} from '../folder/layout.js'
import type {JournalClient} from '../journal/journal-client.js'
import {loadIgnoreRules} from '../scan/ignore-rules.js'
import {walkFolder} from '../scan/walk-folder.js'
import {readCleanSnapshot} from '../state/clean-snapshot.js'

/** The journal cursor the folder is in sync at, or undefined: run the pass. */
export async function checkClean(layout: FolderLayout, client: JournalClient): Promise<number | undefined> {
  const snapshot = await readCleanSnapshot(layout.clean)
  if (!snapshot) return undefined
  // Asked before the walk, so that the server answers while the folder is walked. When the folder differs the
  // answer is not waited for: the caller's client.close() ends the request, and its failure means "run the pass".
  const nothingNew = client.changes(snapshot.cursor, {limit: 1}).then(
    (page) => page.entries.length === 0,
    () => false,
  )
  let matching = 0
  let differs = false
  const {unlistable, temps, resetLeftovers, notUtf8} = walkFolder(layout.root, await loadIgnoreRules(layout.root), (file) => {
    if (snapshot.unchanged(file.path, file.stat)) matching++
    else differs = true
  })
  // A name that cannot sync is said by the pass, which a clean folder would skip; leftovers are removed by it.
  if (differs || matching !== snapshot.size || unlistable.length > 0 || temps.length > 0 || resetLeftovers.length > 0 || notUtf8.length > 0) return undefined
  return (await nothingNew) ? snapshot.cursor : undefined
}
