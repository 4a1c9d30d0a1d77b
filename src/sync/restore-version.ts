/**
 * `sync restore`: brings an old version of a file back, as a new change on top of whatever is there now (so
 * the current version stays in the history too). Works for a deleted file. Local edits are synced first, so
 * nothing unsent is overwritten.
 */
import {InvalidInputError} from '../errors/index.js'
import {ensureChunks} from './apply-remote.js'
import {findVersion} from './find-version.js'
import {writeVersion} from './local-files.js'
import type {Syncer} from './syncer.js'

export async function restoreVersion(syncer: Syncer, path: string, jid: number): Promise<{jid: number}> {
  const {manifest} = await findVersion(syncer.client, path, jid)
  await syncer.pass({paths: [path]})
  const {folder, state, client} = syncer
  await ensureChunks([manifest], folder.store, client)
  const written = await writeVersion(folder.root, path, manifest, folder.store, state.get(path)?.local)
  state.update(path, {local: written})
  await state.save()
  const summary = await syncer.pass({paths: [path]})
  const base = state.get(path)?.base
  if (!base || summary.pending.some((a) => a.path === path))
    throw new InvalidInputError(`${path} was restored on disk but could not be sent yet; 'sync once' will retry`)
  return {jid: base.jid}
}
