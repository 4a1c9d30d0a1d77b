/**
 * `sync mount NS[:PREFIX] SUBDIR`: SUBDIR becomes a synced folder of its own (a `.sync/` of its own, its own
 * cursor, token, lock and state), of another namespace or a sub-tree of one, listed in the outer folder's config
 * so that `sync once`, `sync daemon` and `sync status` run there sync it too. Being a nested synced folder, nothing
 * of it is ever sent into the outer namespace (src/scan/nested-folders.ts). The token is asked what it may do
 * first: a read-only one makes a read-only mount, which never sends anything and keeps its local edits here.
 * The outer folder's lock is held throughout: a running daemon would not see the new mount until restarted.
 */
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import {EncryptionMismatchError, InvalidInputError} from '../errors/index.js'
import {JournalClient} from '../journal/journal-client.js'
import {splitNamespace} from '../journal/path-prefix.js'
import {readConfig, type ServerSettings, writeConfig} from './config.js'
import {findRoot} from './find-root.js'
import {lockFolder} from './folder-lock.js'
import {initFolder} from './init-folder.js'
import {folderLayout} from './layout.js'
import {checkMountTarget, mountPath} from './mount-target.js'
import {checkServerSettings} from './server-settings.js'
import {SyncFolder} from './sync-folder.js'

export interface MountRequest {
  /** `NS` or `NS:PREFIX`. */
  namespace: string
  /** The folder to mount into: absolute, or relative to `start`. */
  subdir: string
  token: string
  /** Default: the outer folder's server. */
  server?: string
}

export interface Mounted {
  root: string
  path: string
  namespace: string
  prefix?: string
  server: string
  rights: 'read-write' | 'read-only'
}

export async function mountNamespace(start: string, request: MountRequest): Promise<Mounted> {
  const root = await findRoot(start)
  const layout = folderLayout(root)
  const relative = mountPath(root, start, request.subdir)
  const {namespace, prefix} = splitNamespace(request.namespace)
  const outer = await readConfig(layout.config)
  const url = request.server ?? outer.server?.url
  if (url === undefined) throw new InvalidInputError('this folder has no server: give the mount its own with --server URL')
  const settings: ServerSettings = checkServerSettings({url, namespace, token: request.token, ...(prefix === undefined ? {} : {prefix})})
  const lock = await lockFolder(layout.syncDir, root)
  try {
    const config = await readConfig(layout.config)
    await checkMountTarget(root, config, relative)
    // A token the server refuses (or of another namespace) stops here, before anything is written.
    const client = new JournalClient(settings, {timeoutMs: 10_000})
    const rights = await client
      .rights()
      .catch((error: unknown) => {
        // Mounts of encrypted namespaces are not supported yet (docs/security.md, Limits): said as such.
        if (error instanceof EncryptionMismatchError && error.data.encrypted === true) {
          throw new EncryptionMismatchError(
            `namespace ${JSON.stringify(namespace)} is end-to-end encrypted: it cannot be mounted yet (sync it in a folder of its own with 'sync init --encrypt')`,
            error.data,
          )
        }
        throw error
      })
      .finally(() => client.close())
    const dir = path.join(root, relative)
    await mkdir(dir, {recursive: true})
    await initFolder(dir, {device: config.device, server: settings, mount: true})
    if (rights === 'read-only') await rememberReadOnly(dir, client.accessKey)
    await writeConfig(layout.config, {...config, mounts: [...(config.mounts ?? []), {path: relative}]})
    return {root, path: relative, namespace, ...(prefix === undefined ? {} : {prefix}), server: url, rights}
  } finally {
    await lock.release()
  }
}

/** Known from the start: the mount's changes are kept here from its first pass, none is ever tried on the server. */
async function rememberReadOnly(dir: string, accessKey: string): Promise<void> {
  const folder = await SyncFolder.open(dir)
  try {
    await folder.loadState().setReadOnlyAccess(accessKey)
  } finally {
    await folder.close()
  }
}
