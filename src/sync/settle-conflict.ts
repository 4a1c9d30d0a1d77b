/**
 * Settling a conflict copy (from the daemon's web page, src/daemon-ui/): keep mine (the copy's version takes the
 * file's path and the copy goes), keep theirs (the copy goes), keep both (the copy is renamed to an ordinary
 * name). Carried out by the daemon between two passes (folder-requests.ts), as ordinary changes that the next
 * pass sends. Both versions are sent first, and nothing is done when they cannot be: so the version dropped
 * stays in the journal, restorable with `sync restore PATH --jid N` (the result names it). A file changed on
 * disk meanwhile is never overwritten (LocalChangedError: nothing done; the next pass syncs the edit).
 */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {InvalidInputError, NotFoundError} from '../errors/index.js'
import {refuseIfPaused} from '../folder/pause.js'
import {manifestsEqual} from '../manifest/manifest.js'
import {conflictCopyOrigin, keptCopyPath} from '../merge/conflict-name.js'
import {checkPath} from '../paths/validate-path.js'
import {deleteVersion, moveVersion, writeVersion} from './local-files.js'
import type {Syncer} from './syncer.js'

export type Keep = 'mine' | 'theirs' | 'both'
export const KEEPS: readonly Keep[] = ['mine', 'theirs', 'both']

export interface SettleResult {
  /** The file the copy was made beside, and the copy. */
  path: string
  copy: string
  keep: Keep
  /** Keep both: the copy's new name. */
  renamedTo?: string
  /** The version no longer in the folder, and its JID in the journal (`sync restore PATH --jid N`). */
  dropped?: {path: string; jid: number}
}

export async function settleConflict(syncer: Syncer, copy: string, keep: Keep): Promise<SettleResult> {
  const {folder, state} = syncer
  await refuseIfPaused(folder.layout)
  const origin = conflictCopyOrigin(checkPath(copy))
  if (!origin) throw new InvalidInputError(`${copy} is not a conflict copy (named NAME (conflict DEVICE DATE TIME).EXT)`)
  const file = origin.path
  // Whatever is on disk now is sent first: what this drops is then in the journal.
  await sent(syncer, [copy, file])
  const mine = state.get(copy)?.local
  if (!mine) throw new NotFoundError(`there is no conflict copy ${copy} in the folder`, {path: copy})
  const theirs = state.get(file)?.local
  const result: SettleResult = {path: file, copy, keep}
  const dropped = (p: string) => ({path: p, jid: state.get(p)!.base!.jid})
  const {root, store} = folder
  if (keep === 'both') {
    result.renamedTo = keptCopyPath(copy, (candidate) => state.get(candidate)?.local !== undefined || existsSync(path.join(root, candidate)))
    await moveVersion(root, copy, result.renamedTo, mine)
    await sent(syncer, [copy, result.renamedTo])
    return result
  }
  if (keep === 'mine') {
    // A long name was shortened to fit the label: the name read back is not the file's, and nothing is written there.
    if (!theirs) throw new NotFoundError(`there is no ${file} beside ${copy} (was its name shortened?); rename the copy yourself`, {path: file})
    result.dropped = dropped(file)
    state.update(file, {local: await writeVersion(root, file, mine.manifest, store, theirs)})
    await state.save()
  } else result.dropped = dropped(copy)
  await deleteVersion(root, copy, mine)
  await sent(syncer, [copy, file])
  return result
}

/** A pass over `paths`, then a check that each is on the server as it is on disk (else nothing more is done). */
async function sent(syncer: Syncer, paths: string[]): Promise<void> {
  const summary = await syncer.pass({paths})
  for (const p of paths) {
    const record = syncer.state.get(p)
    const pending = summary.pending.some((action) => action.path === p)
    if (pending || (record?.local && !manifestsEqual(record.base?.manifest, record.local.manifest)))
      throw new InvalidInputError(`${p} could not be sent to the server yet ('sync status' says why); nothing more was done`, {path: p})
  }
}
