/**
 * `sync fsck --repair`: a folder's store with damaged chunks (a pack cut short in a copy taken while a daemon
 * wrote, a flipped bit) made whole again. The store is a cache of what the server and the folder's files hold, so
 * the damaged chunks are dropped from its index (drop-chunks.ts), asked of the server again, and the files here
 * whose recorded version names one are marked to be read again at the next scan, which stores their chunks anew.
 * Before, every pass that read one failed with exit 6 for ever. Nothing on disk outside `.sync/` is touched.
 */
import {isSyncError} from '../errors/index.js'
import {dropChunks} from '../store/drop-chunks.js'
import {type Damage, fsckStore} from '../store/fsck.js'
import {logger} from '../util/logger.js'
import {fetchIds, IDS_PER_FETCH, lackedBy} from './apply-remote.js'
import type {Syncer} from './syncer.js'

const debug = logger('repair')

export interface RepairReport {
  chunks: number
  damaged: Damage[]
  /** Damaged chunks taken out of the index. */
  dropped: number
  /** Of those, fetched again from the server. */
  refetched: number
  /** Files here to be read again at the next scan (their recorded version named a dropped chunk). */
  reread: string[]
  /** Kept versions (`sync kept`) that still lack a chunk: they can no longer be restored. */
  keptIncomplete: number
  /** Why the server gave nothing back, when it could not be asked (the next sync fetches what it needs). */
  fetchError?: string
}

export async function repairFolder(syncer: Syncer, onProgress?: (checked: number, total: number) => void): Promise<RepairReport> {
  const {store} = syncer.folder
  const {chunks, damaged} = await fsckStore(store, onProgress)
  const report: RepairReport = {chunks, damaged, dropped: 0, refetched: 0, reread: [], keptIncomplete: 0}
  if (damaged.length === 0) return report
  const ids = new Set(damaged.map((damage) => damage.id))
  report.dropped = await dropChunks(store, ids)
  debug('dropped %d damaged chunks', report.dropped)

  // The syncer's own state: a daemon's next pass goes on from it (a second copy would be saved over).
  const state = syncer.state
  for (const [path, record] of state.entries()) {
    if (!record.local || lackedBy(record.local.manifest, ids) === 0) continue
    // As if hashed at the epoch: the stat still matches (status shows no change), but the scan reads it again.
    state.update(path, {local: {...record.local, hashedAtMs: 0}})
    report.reread.push(path)
  }
  await state.save()

  const lacking = new Set<string>()
  try {
    const all = [...ids]
    for (let at = 0; at < all.length; at += IDS_PER_FETCH)
      for (const id of await fetchIds(all.slice(at, at + IDS_PER_FETCH), store, syncer.client)) lacking.add(id)
    report.refetched = ids.size - lacking.size
  } catch (error) {
    if (!isSyncError(error)) throw error
    report.fetchError = error.message
    for (const id of ids) lacking.add(id)
  }
  report.keptIncomplete = state.keptList().filter((kept) => lackedBy(kept.manifest, lacking) > 0).length
  return report
}
