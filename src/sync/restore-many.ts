/**
 * Restoring many files at once, each as a new change on top of whatever is there now (the current versions stay
 * in the history): every file deleted since a JID (undoing a mass delete that went through, from an old client
 * say), or a folder as it was at a JID. Both read the journal from the server; files created after that JID, or
 * changed here and not yet synced, are left alone.
 */
import {InvalidInputError} from '../errors/index.js'
import type {JournalClient, JournalEntry} from '../journal/journal-client.js'
import {manifestsEqual, type Manifest} from '../manifest/manifest.js'
import {LocalChangedError} from '../errors/local-changed-error.js'
import {blockedReason, ensureChunks} from './apply-remote.js'
import {CHANGED_LOCALLY} from './blocked-paths.js'
import {writeVersion} from './local-files.js'
import type {Syncer} from './syncer.js'

export interface RestoreOutcome {
  /** Paths written back and sent as new versions. */
  restored: string[]
  /** Paths that could not be written, with why (a folder in the way, changed here meanwhile...). */
  skipped: {path: string; reason: string}[]
}

const under = (prefix: string) => (path: string) => prefix === '' || path === prefix || path.startsWith(`${prefix}/`)

/** Every journal entry after `since` (and up to `upto`), in order. */
async function* journalSince(client: JournalClient, since: number, upto = Number.MAX_SAFE_INTEGER): AsyncIterable<JournalEntry> {
  let cursor = since
  for (;;) {
    const page = await client.changes(cursor, {limit: Math.min(1000, Math.max(1, upto - cursor))})
    for (const entry of page.entries) {
      if (entry.jid > upto) return
      yield entry
    }
    if (!page.more || page.last >= upto || page.last === cursor) return
    cursor = page.last
  }
}

/** The versions (with full manifests) of every file deleted after `since` and still deleted now, below `prefix`. */
async function deletedSince(syncer: Syncer, since: number, prefix: string): Promise<Map<string, Manifest>> {
  const deletions = new Map<string, JournalEntry>()
  for await (const entry of journalSince(syncer.client, since)) {
    if (entry.kind === 'deleted' && under(prefix)(entry.path)) deletions.set(entry.path, entry)
    else deletions.delete(entry.path)
  }
  const versions = new Map<string, Manifest>()
  for (const [path, deletion] of deletions) {
    if (deletion.prev === null) continue
    const before = await syncer.client.entry(deletion.prev)
    // The version before the deletion: at this path (not a move away from it), and not a deletion itself.
    if (before.path === path && before.manifest) versions.set(path, before.manifest)
  }
  return versions
}

/** The versions of the files below `prefix` as they were at `jid`. */
async function folderAt(syncer: Syncer, jid: number, prefix: string): Promise<Map<string, Manifest>> {
  const heads = new Map<string, number>()
  for await (const entry of journalSince(syncer.client, 0, jid)) {
    if (entry.from !== undefined) heads.delete(entry.from)
    if (!under(prefix)(entry.path)) continue
    if (entry.kind === 'deleted') heads.delete(entry.path)
    else heads.set(entry.path, entry.jid)
  }
  const versions = new Map<string, Manifest>()
  for (const [path, at] of heads) {
    const entry = await syncer.client.entry(at)
    if (entry.manifest) versions.set(path, entry.manifest)
  }
  return versions
}

/** Writes the versions here (those not already here) and sends them. */
async function writeBack(syncer: Syncer, versions: Map<string, Manifest>): Promise<RestoreOutcome> {
  // Local changes first, so that what is on disk is known and nothing unsent is overwritten.
  await syncer.pass()
  const {folder, state, client} = syncer
  const outcome: RestoreOutcome = {restored: [], skipped: []}
  const todo = [...versions].filter(([path, manifest]) => !manifestsEqual(state.get(path)?.local?.manifest, manifest))
  await ensureChunks(
    todo.map(([, manifest]) => manifest),
    folder.store,
    client,
  )
  for (const [path, manifest] of todo) {
    try {
      const written = await writeVersion(folder.root, path, manifest, folder.store, state.get(path)?.local)
      state.update(path, {local: written})
      outcome.restored.push(path)
    } catch (error) {
      const reason = error instanceof LocalChangedError ? CHANGED_LOCALLY : blockedReason(error)
      if (reason === undefined) throw error
      outcome.skipped.push({path, reason})
    }
  }
  await state.save()
  if (outcome.restored.length > 0) await syncer.pass({paths: outcome.restored})
  return outcome
}

export async function restoreDeletedSince(syncer: Syncer, since: number, prefix = ''): Promise<RestoreOutcome> {
  return writeBack(syncer, await deletedSince(syncer, since, prefix))
}

export async function restoreFolderAt(syncer: Syncer, jid: number, prefix: string): Promise<RestoreOutcome> {
  const versions = await folderAt(syncer, jid, prefix)
  if (versions.size === 0) throw new InvalidInputError(`nothing was in ${prefix === '' ? 'the folder' : `${prefix}/`} at jid ${jid}; see 'sync log'`)
  return writeBack(syncer, versions)
}
