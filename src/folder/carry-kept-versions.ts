/**
 * A reset (reset-state.ts) builds a new `.sync/`; the versions kept on this device (kept-versions.ts) go into it
 * with their chunks, under the numbers they had. They can be the only copy left of what the user wrote: a reset
 * is how a folder moves off a server it gave up on, and that server's history goes with it. The rest of the old
 * store is a cache of the files and the server, and is left behind.
 */
import {keyToHex} from '../chunk/hash.js'
import {durableTransaction} from '../db/durable.js'
import {openEnv} from '../db/open-env.js'
import {isSyncError} from '../errors/index.js'
import {type KeptVersion, KeptVersions} from '../state/kept-versions.js'
import {ChunkStore} from '../store/chunk-store.js'
import {logger} from '../util/logger.js'

const debug = logger('reset')

export interface CarriedKept {
  /** Versions carried whole into the new `.sync/`. */
  carried: number
  /** Versions left behind: a chunk of theirs was missing or damaged in the old store. */
  unreadable: {id: number; path: string; why: string}[]
}

/** Copies the kept versions of the folder whose `db` and `packs` are given into the new ones. */
export async function carryKeptVersions(from: {db: string; packs: string}, to: {db: string; packs: string}): Promise<CarriedKept> {
  const oldEnv = openEnv(from.db)
  const newEnv = openEnv(to.db)
  const oldStore = ChunkStore.open(oldEnv, from.packs)
  const newStore = ChunkStore.open(newEnv, to.packs)
  const result: CarriedKept = {carried: 0, unreadable: []}
  try {
    const kept: KeptVersion[] = []
    for (const version of new KeptVersions(oldEnv).list()) {
      const why = await copyChunks(version, oldStore, newStore)
      if (why === undefined) kept.push(version)
      else result.unreadable.push({id: version.id, path: version.path, why})
    }
    // The chunks durable before the records that name them.
    await newStore.flush()
    const records = new KeptVersions(newEnv)
    await durableTransaction(newEnv, () => records.carrySync(kept))
    result.carried = kept.length
    debug('carried %d kept versions, %d unreadable', kept.length, result.unreadable.length)
    return result
  } finally {
    await oldStore.close().catch((error) => debug('closing the old store: %O', error))
    await newStore.close()
    await oldEnv.close()
    await newEnv.close()
  }
}

/**
 * Copies a version's chunks; why it could not, if a chunk could not be read (missing or damaged in the old store).
 * A failed write (a full disk) throws: the reset stops and the old `.sync/` stays, kept versions and all.
 */
async function copyChunks(version: KeptVersion, from: ChunkStore, to: ChunkStore): Promise<string | undefined> {
  const {ids} = version.manifest
  for (let i = 0; i < ids.length; i++) {
    const key = ids.keyAt(i)
    if (to.hasKey(key)) continue
    let chunk: Buffer
    try {
      chunk = await from.readKey(key)
    } catch (error) {
      if (!isSyncError(error)) throw error
      debug('kept version %d (%s): chunk %s: %O', version.id, version.path, keyToHex(key), error)
      return error.message
    }
    to.addKeyed(chunk, key)
    if (to.needsDrain) await to.drain()
  }
  return undefined
}
