/**
 * A version of a file in the journal, found by JID or as the newest: what `log`, `restore`, `show` and `diff`
 * refuse alike (a path with no history, a JID of another path, a pruned version, a deletion), each by name.
 */
import {InvalidInputError, NotFoundError} from '../errors/index.js'
import type {JournalClient, JournalEntry} from '../journal/journal-client.js'
import {deletesPath} from '../journal/journal-entry.js'
import type {Manifest} from '../manifest/manifest.js'

export interface FoundVersion {
  entry: JournalEntry
  manifest: Manifest
}

/** `path` has no entry in the journal. */
export function noHistoryError(path: string): NotFoundError {
  return new NotFoundError(`${path} has no history on the server (never synced, or not this path's name)`, {path})
}

/** Version `jid` of `path`, or the newest when `jid` is undefined. */
export async function findVersion(client: JournalClient, path: string, jid?: number): Promise<FoundVersion> {
  const newest = jid === undefined ? ((await latestEntry(client, path)) ?? throwNoHistory(path)) : undefined
  // The log gives a version as edits of the one before: the entry itself has its whole manifest.
  const entry = newest && deletesPath(newest, path) ? newest : await entryOf(client, path, newest?.jid ?? jid!)
  if (entry.pruned)
    throw new NotFoundError(`version ${entry.jid} of ${path} was pruned: older history is past the server's retention ('sync log ${path}' marks those)`, {
      jid: entry.jid,
      pruned: true,
    })
  if (!entry.manifest || deletesPath(entry, path))
    throw new InvalidInputError(`version ${entry.jid} of ${path} is a deletion; pick an earlier one ('sync log ${path}')`)
  return {entry, manifest: entry.manifest}
}

/** The newest entry of `path` (maybe a deletion, or a move away), or undefined when the journal has none. */
export async function latestEntry(client: JournalClient, path: string): Promise<JournalEntry | undefined> {
  return (await client.log(path, {limit: 1})).entries[0]
}

function throwNoHistory(path: string): never {
  throw noHistoryError(path)
}

async function entryOf(client: JournalClient, path: string, jid: number): Promise<JournalEntry> {
  const entry = await client.entry(jid).catch((error) => {
    throw error instanceof NotFoundError
      ? new NotFoundError(`there is no version ${jid} in this namespace; 'sync log ${path}' lists those of ${path}`, {jid})
      : error
  })
  if (entry.path !== path) throw new InvalidInputError(`version ${jid} is of ${entry.path}, not ${path}; see 'sync log ${path}'`)
  return entry
}
