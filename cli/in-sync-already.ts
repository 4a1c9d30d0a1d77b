/**
 * `sync once`'s first step: when the folder and the journal both match the clean snapshot, the folder is in
 * sync and the pass is not run (src/sync/clean-check.ts). Holds the folder's lock while it looks, as a pass would.
 * Anything in the way of a clear answer (no snapshot, the server unreachable) means: run the pass, which reports
 * it properly.
 */
import {existsSync} from 'node:fs'
import {readConfig} from '#src/folder/config.js'
import {findRoot} from '#src/folder/find-root.js'
import {lockFolder} from '#src/folder/folder-lock.js'
import {folderLayout} from '#src/folder/layout.js'
import {resolveServerSettings} from '#src/folder/server-settings.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {checkClean} from '#src/sync/clean-check.js'

/** The JID the folder is in sync at, or undefined when a pass must run. */
export async function inSyncAlready(startDir: string): Promise<number | undefined> {
  const layout = folderLayout(await findRoot(startDir))
  if (!existsSync(layout.clean)) return undefined
  const config = await readConfig(layout.config)
  const lock = await lockFolder(layout.syncDir, layout.root)
  const client = new JournalClient(resolveServerSettings(config))
  try {
    return await checkClean(layout, client).catch(() => undefined)
  } finally {
    client.close()
    await lock.release()
  }
}
