/** A device for engine tests: a synced folder with its own store and state, a journal client and a Syncer. */
import {cp} from 'node:fs/promises'
import path from 'node:path'
import type {ExecutionContext} from 'ava'
import {initFolder} from '#src/folder/init-folder.js'
import {SyncFolder} from '#src/folder/sync-folder.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {bandwidthLimits} from '#src/journal/bandwidth.js'
import {Syncer, type PassSummary, type SyncerOptions} from '#src/sync/syncer.js'
import type {SyncEvent} from '#src/sync/sync-event.js'
import type {TransferProgress} from '#src/sync/transfer-meter.js'
import type {TestServer} from './server.js'
import {cookbookFixture, tempDir} from './temp.js'

export interface Device {
  name: string
  root: string
  folder: SyncFolder
  client: JournalClient
  syncer: Syncer
  events: SyncEvent[]
  /** What the syncer reported of its transfers (onTransfer), in order. */
  transfers: TransferProgress[]
  pass(paths?: string[]): Promise<PassSummary>
  file(relative: string): string
}

export async function makeDevice(
  t: ExecutionContext,
  server: TestServer,
  name: string,
  options: {
    cookbook?: boolean
    namespace?: string
    token?: string
    onProgress?: SyncerOptions['onProgress']
    bandwidth?: {up?: number; down?: number}
    /** Sync only this sub-tree of the namespace. */
    prefix?: string
    /** Talk to the server through this URL (a proxy) instead of its own. */
    url?: string
    /** The folder to make the device's folder in (a small disk, say), instead of a new temp folder. */
    parent?: string
  } = {},
): Promise<Device> {
  const root = path.join(options.parent ?? (await tempDir(t, `sync-${name}-`)), name)
  if (options.cookbook) await cp(cookbookFixture, root, {recursive: true})
  const namespace = options.namespace ?? 'recipes'
  const settings = {
    url: options.url ?? server.url,
    namespace,
    token: options.token ?? (await server.token(namespace)),
    ...(options.prefix === undefined ? {} : {prefix: options.prefix}),
  }
  await initFolder(root, {device: name, server: settings})
  const folder = await SyncFolder.open(root)
  const client = new JournalClient(settings, {bandwidth: bandwidthLimits(options.bandwidth ?? {})})
  const events: SyncEvent[] = []
  const transfers: TransferProgress[] = []
  const syncer = new Syncer(folder, client, {
    device: name,
    onEvent: (e) => events.push(e),
    onProgress: options.onProgress,
    onTransfer: (p) => transfers.push(p),
    now: () => new Date(Date.UTC(2026, 10, 25, 12, 0, 0)),
  })
  t.teardown(async () => {
    await syncer.idle()
    client.close()
    await folder.close()
  })
  return {
    name,
    root,
    folder,
    client,
    syncer,
    events,
    transfers,
    pass: (paths) => syncer.pass(paths ? {paths} : {}),
    file: (relative) => path.join(root, relative),
  }
}
