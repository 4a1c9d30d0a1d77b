/**
 * `.sync/ui-link`: the link (with its key) of the web page of the daemon syncing the folder, so that `sync status`
 * can show it to the user who lost the daemon's output. Readable by the file's owner only (mode 0600: the key lets
 * one change the folder); removed when the daemon stops, and not believed unless that daemon still holds the folder.
 */
import {readFile, unlink} from 'node:fs/promises'
import {folderHolder} from '../folder/folder-lock.js'
import type {FolderLayout} from '../folder/layout.js'
import {writeFileAtomic} from '../util/write-file-atomic.js'

export async function writeUiLink(layout: FolderLayout, link: string): Promise<void> {
  await writeFileAtomic(layout.uiLink, `${JSON.stringify({pid: process.pid, link})}\n`, {mode: 0o600, durable: false})
}

export async function removeUiLink(layout: FolderLayout): Promise<void> {
  await unlink(layout.uiLink).catch(() => {})
}

/** The link of the running daemon's page, when there is one and this user may read it. */
export async function readUiLink(layout: FolderLayout): Promise<string | undefined> {
  try {
    const {pid, link} = JSON.parse(await readFile(layout.uiLink, 'utf8')) as {pid?: number; link?: string}
    return pid === (await folderHolder(layout.syncDir)) ? link : undefined
  } catch {
    return undefined
  }
}
