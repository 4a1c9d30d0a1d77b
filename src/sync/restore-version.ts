/**
 * `sync restore`: brings an old version of a file back, as a new change on top of whatever is there now (so
 * the current version stays in the history too): a version from the journal's history (works for a deleted
 * file), or one kept on this device when a remote change replaced it (kept-versions.ts: needs nothing of the
 * server but to send it). Local edits are synced first, so nothing unsent is overwritten.
 */
import {InvalidInputError, MissingChunksError, NotFoundError} from '../errors/index.js'
import type {Manifest} from '../manifest/manifest.js'
import {ensureChunks} from './apply-remote.js'
import {findVersion} from './find-version.js'
import {writeVersion} from './local-files.js'
import type {Syncer} from './syncer.js'

export async function restoreVersion(syncer: Syncer, path: string, jid: number): Promise<{jid: number}> {
  const {manifest} = await findVersion(syncer.client, path, jid)
  await syncer.pass({paths: [path]})
  await ensureChunks([manifest], syncer.folder.store, syncer.client)
  return putBack(syncer, path, manifest)
}

/** Brings back version `id` of those kept on this device (`sync kept`), at the path it was kept from. */
export async function restoreKept(syncer: Syncer, id: number): Promise<{path: string; jid: number}> {
  const kept = syncer.state.keptVersion(id)
  if (!kept) throw new NotFoundError(`no version ${id} is kept on this device ('sync kept' lists them)`)
  const {store} = syncer.folder
  const missing = [...kept.manifest.ids].filter((id) => !store.has(id))
  if (missing.length > 0) throw new MissingChunksError(missing)
  await syncer.pass({paths: [kept.path]})
  return {path: kept.path, ...(await putBack(syncer, kept.path, kept.manifest))}
}

/** Writes `manifest` at `path` (never over an edit made since the pass before) and sends it. */
async function putBack(syncer: Syncer, path: string, manifest: Manifest): Promise<{jid: number}> {
  const {folder, state} = syncer
  const written = await writeVersion(folder.root, path, manifest, folder.store, state.get(path)?.local)
  state.update(path, {local: written})
  await state.save()
  const summary = await syncer.pass({paths: [path]})
  const base = state.get(path)?.base
  if (!base || summary.pending.some((a) => a.path === path))
    throw new InvalidInputError(`${path} was restored on disk but could not be sent yet; 'sync once' will retry`)
  return {jid: base.jid}
}
