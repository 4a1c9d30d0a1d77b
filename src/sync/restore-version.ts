/**
 * `sync restore`: brings an old version of a file back, as a new change on top of whatever is there now (so
 * the current version stays in the history too). Works for a deleted file. Local edits are synced first, so
 * nothing unsent is overwritten.
 */
import {InvalidInputError, NotFoundError} from '../errors/index.js'
import {ensureChunks} from './apply-remote.js'
import {writeVersion} from './local-files.js'
import type {Syncer} from './syncer.js'

export async function restoreVersion(syncer: Syncer, path: string, jid: number): Promise<{jid: number}> {
  const entry = await syncer.client.entry(jid).catch((error) => {
    throw error instanceof NotFoundError
      ? new NotFoundError(`there is no version ${jid} in this namespace; 'sync log ${path}' lists those of ${path}`, {jid})
      : error
  })
  if (entry.path !== path) throw new InvalidInputError(`version ${jid} is of ${entry.path}, not ${path}; see 'sync log ${path}'`)
  if (entry.pruned)
    throw new NotFoundError(`version ${jid} of ${path} was pruned: older history is past the server's retention ('sync log ${path}' marks those)`, {
      jid,
      pruned: true,
    })
  if (!entry.manifest) throw new InvalidInputError(`version ${jid} of ${path} is a deletion; pick an earlier one ('sync log ${path}')`)
  await syncer.pass({paths: [path]})
  const {folder, state, client} = syncer
  await ensureChunks([entry.manifest], folder.store, client)
  const written = await writeVersion(folder.root, path, entry.manifest, folder.store, state.get(path)?.local)
  state.update(path, {local: written})
  await state.save()
  const summary = await syncer.pass({paths: [path]})
  const base = state.get(path)?.base
  if (!base || summary.pending.some((a) => a.path === path))
    throw new InvalidInputError(`${path} was restored on disk but could not be sent yet; 'sync once' will retry`)
  return {jid: base.jid}
}
