/**
 * What `once`, `daemon` and `restore` share: open the folder, take its lock (one syncing process per folder),
 * connect a journal client and a Syncer; always release all of it, after any pass in flight has finished.
 */
import {lockFolder, type LockRole} from '../folder/folder-lock.js'
import {folderBandwidth, type RateFlags} from '../folder/bandwidth-settings.js'
import {resolveServerSettings} from '../folder/server-settings.js'
import {SyncFolder} from '../folder/sync-folder.js'
import {folderSealing} from '../folder/folder-sealing.js'
import {JournalClient} from '../journal/journal-client.js'
import {Syncer, type SyncerOptions} from './syncer.js'

export type SyncerHooks = Pick<SyncerOptions, 'onEvent' | 'onProgress' | 'onNotice' | 'onTransfer'> & {
  /** Bandwidth limits given on the command line (`--limit-up`, `--limit-down`), over the folder's config. */
  rates?: RateFlags
  /** What takes the folder's lock: a daemon says so in it (commands then hand it their work from its first instant). */
  role?: LockRole
}

export async function withSyncer<T>(startDir: string, hooks: SyncerHooks, work: (syncer: Syncer) => Promise<T>): Promise<T> {
  const folder = await SyncFolder.open(startDir)
  try {
    const {rates, role, ...events} = hooks
    // Bad input is refused before anything is taken.
    const bandwidth = folderBandwidth(folder.config, rates)
    const sealing = await folderSealing(folder)
    const lock = await lockFolder(folder.layout.syncDir, folder.root, role)
    const client = new JournalClient(resolveServerSettings(folder.config), {bandwidth, sealing})
    const syncer = new Syncer(folder, client, {device: folder.config.device, ...events})
    try {
      return await work(syncer)
    } finally {
      await syncer.idle()
      client.close()
      await lock.release()
    }
  } finally {
    await folder.close()
  }
}
