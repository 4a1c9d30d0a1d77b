/** `sync status` of a folder's mounts: each one's own status (its server asked briefly), or why it has none. */
import {isSyncError} from '#src/errors/index.js'
import {resolveServerSettings} from '#src/folder/server-settings.js'
import {mountDir} from '#src/folder/mount-target.js'
import {SyncFolder} from '#src/folder/sync-folder.js'
import {folderSealing} from '#src/folder/folder-sealing.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {folderStatus, type FolderStatus} from '#src/sync/folder-status.js'

export type MountStatus = {path: string; namespace?: string; prefix?: string} & (FolderStatus | {error: {code: string; message: string}})

/** A folder's status, its server asked with a short timeout. */
export async function statusOf(folder: SyncFolder): Promise<FolderStatus> {
  // Names only: status holds no lock, so it opens no chunks into the store (folder-sealing.ts).
  const sealing = await folderSealing(folder, {namesOnly: true})
  const client = folder.config.server ? new JournalClient(resolveServerSettings(folder.config), {timeoutMs: 3000, sealing}) : undefined
  try {
    return await folderStatus(folder, client)
  } finally {
    client?.close()
  }
}

export async function mountStatuses(root: string, mounts: readonly {path: string}[]): Promise<MountStatus[]> {
  return Promise.all(
    mounts.map(async ({path}): Promise<MountStatus> => {
      try {
        const folder = await SyncFolder.open(await mountDir(root, path))
        try {
          const {namespace, prefix} = folder.config.server ?? {}
          return {path, namespace, ...(prefix === undefined ? {} : {prefix}), ...(await statusOf(folder))}
        } finally {
          await folder.close()
        }
      } catch (error) {
        if (!isSyncError(error)) throw error
        return {path, error: {code: error.code, message: error.message}}
      }
    }),
  )
}

export function describeMount(mount: MountStatus): string {
  if ('error' in mount) return `mount ${mount.path}: ${mount.error.message}`
  const what = `${mount.namespace}${mount.prefix === undefined ? '' : `:${mount.prefix}`}`
  const sending = mount.readOnly ? `${mount.pendingUploads.length} kept here (read-only: never sent)` : `${mount.pendingUploads.length} to send`
  const server = mount.server?.reachable ? `jid ${mount.cursor}` : `server NOT reachable, jid ${mount.cursor}`
  return `mount ${mount.path}: namespace ${what}${mount.readOnly ? ', read-only' : ''}; ${sending}, ${mount.pendingDownloads.length} to receive, ${mount.conflicts.length} conflict copies (${server})`
}
