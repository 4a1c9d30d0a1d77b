/**
 * `sync restore`'s four kinds, as one request that a command carries out itself or hands to the daemon holding
 * the folder (src/sync/folder-requests.ts): a version of a file, a folder as it was, what was deleted since a JID,
 * a version kept on this device (kept-versions.ts). Paths are the journal's (relative to the folder's root). A paused folder is not restored.
 */
import {refuseIfPaused} from '../folder/pause.js'
import {restoreDeletedSince, restoreFolderAt} from './restore-many.js'
import {restoreKept, restoreVersion} from './restore-version.js'
import type {Syncer} from './syncer.js'

export type RestoreTarget =
  | {kind: 'file'; path: string; jid: number}
  | {kind: 'folder'; prefix: string; jid: number}
  | {kind: 'deleted-since'; since: number; prefix: string}
  | {kind: 'kept'; id: number}

export interface RestoreResult {
  restored: string[]
  skipped: {path: string; reason: string}[]
  /** For one file: the version brought back and the JID it was sent as. */
  version?: number
  jid?: number
}

export async function restore(syncer: Syncer, target: RestoreTarget): Promise<RestoreResult> {
  await refuseIfPaused(syncer.folder.layout)
  if (target.kind === 'deleted-since') return restoreDeletedSince(syncer, target.since, target.prefix)
  if (target.kind === 'folder') return restoreFolderAt(syncer, target.jid, target.prefix)
  if (target.kind === 'kept') {
    const {path, jid} = await restoreKept(syncer, target.id)
    return {restored: [path], skipped: [], jid}
  }
  const {jid} = await restoreVersion(syncer, target.path, target.jid)
  return {restored: [target.path], skipped: [], version: target.jid, jid}
}
