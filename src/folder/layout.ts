/** Where things live inside a synced folder's `.sync/`. */
import path from 'node:path'

export const SYNC_DIR_NAME = '.sync'

export interface FolderLayout {
  root: string
  syncDir: string
  config: string
  /** An encrypted folder's key (src/folder/folder-key.ts), readable by its user only. */
  keys: string
  db: string
  packs: string
  /** The snapshot of the folder as it was when last in sync (src/state/clean-snapshot.ts). */
  clean: string
  /** Decisions about held deletions, handed by a command to the running daemon (src/folder/held-decisions.ts). */
  decisions: string
  /** Present while the folder is paused (src/folder/pause.ts). */
  paused: string
  /** What a running daemon is doing, for `sync status` (src/sync/daemon-status.ts). */
  daemonStatus: string
  /** A `sync gc` handed to the running daemon, and the daemon's answer (src/folder/gc-request.ts). */
  gcRequest: string
  gcAnswer: string
  /** The link (with its key) of a running daemon's web page, readable by its user only (src/daemon-ui/ui-link.ts). */
  uiLink: string
}

export function folderLayout(root: string): FolderLayout {
  const syncDir = path.join(root, SYNC_DIR_NAME)
  return {
    root,
    syncDir,
    config: path.join(syncDir, 'config.json'),
    keys: path.join(syncDir, 'keys.json'),
    db: path.join(syncDir, 'db'),
    packs: path.join(syncDir, 'packs'),
    clean: path.join(syncDir, 'clean'),
    decisions: path.join(syncDir, 'decisions.json'),
    paused: path.join(syncDir, 'paused'),
    daemonStatus: path.join(syncDir, 'daemon-status.json'),
    gcRequest: path.join(syncDir, 'gc-request.json'),
    gcAnswer: path.join(syncDir, 'gc-answer.json'),
    uiLink: path.join(syncDir, 'ui-link'),
  }
}
