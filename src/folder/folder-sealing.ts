/**
 * The sealing of an encrypted folder (src/journal/sealing.ts): its key from `.sync/keys.json`, its id map in its
 * LMDB. `namesOnly`: for a reader without the folder's lock (`sync status`), which must not write the store:
 * entries come with their paths opened and no manifests.
 */
import {SealedIdMap} from '../crypto/sealed-id-map.js'
import {subKeys} from '../crypto/sub-keys.js'
import {Sealing} from '../journal/sealing.js'
import {readFolderKey} from './folder-key.js'
import type {SyncFolder} from './sync-folder.js'

export async function folderSealing(folder: SyncFolder, options: {namesOnly?: boolean} = {}): Promise<Sealing | undefined> {
  if (!folder.config.encrypted) return undefined
  const sealing = new Sealing(subKeys(await readFolderKey(folder.layout.keys)), new SealedIdMap(folder.env))
  if (!options.namesOnly) sealing.useStore(folder.store)
  return sealing
}
