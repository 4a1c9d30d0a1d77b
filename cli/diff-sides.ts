/**
 * The two sides `sync diff` compares, each with its bytes: versions from the journal (read as `sync show` reads
 * them) or the working file. A side that does not exist (a deleted version, a file not created here or never
 * synced) is absent, and compares as empty.
 */
import {lstat, readFile, readlink} from 'node:fs/promises'
import path from 'node:path'
import {FileAccessError} from '#src/errors/index.js'
import type {DiffSide} from '#src/diff/unified-diff.js'
import type {JournalClient} from '#src/journal/journal-client.js'
import {deletesPath} from '#src/journal/journal-entry.js'
import type {ChunkStore} from '#src/store/chunk-store.js'
import {findVersion, latestEntry} from '#src/sync/find-version.js'
import {versionBuffer} from '#src/sync/version-bytes.js'

export interface Side extends DiffSide {
  jid?: number
  bytes: Buffer
}

export type SideInfo = Omit<Side, 'bytes'>

/** What `--json` says of a side: all but its bytes. */
export const sideInfo = ({bytes: _bytes, ...info}: Side): SideInfo => info

const absent = (label: string, jid?: number): Side => ({label, absent: true, size: 0, bytes: Buffer.alloc(0), ...(jid === undefined ? {} : {jid})})

/** Version `jid` of `file`. */
export async function versionSide(client: JournalClient, store: ChunkStore, file: string, jid: number): Promise<Side> {
  const {manifest} = await findVersion(client, file, jid)
  const bytes = await versionBuffer(manifest, client, store)
  return {label: `jid ${jid}`, jid, size: bytes.length, bytes}
}

/** The newest version of `file` in the journal; absent when it was deleted or never synced. */
export async function newestSide(client: JournalClient, store: ChunkStore, file: string): Promise<Side> {
  const newest = await latestEntry(client, file)
  if (!newest) return absent('not on the server')
  if (deletesPath(newest, file)) return absent(`jid ${newest.jid}, deleted`, newest.jid)
  return versionSide(client, store, file, newest.jid)
}

/** The file as it is on disk now (a symbolic link: its target, as the journal keeps it). */
export async function workingSide(root: string, file: string): Promise<Side> {
  const absolute = path.join(root, file)
  try {
    const stats = await lstat(absolute)
    const bytes = stats.isSymbolicLink() ? Buffer.from(await readlink(absolute)) : await readFile(absolute)
    return {label: 'working file', size: bytes.length, bytes}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return absent('working file, absent')
    throw FileAccessError.from(absolute, error) ?? error
  }
}
