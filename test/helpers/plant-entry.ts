/** What a compromised server (or another writer through an old one) puts in the journal, unchecked. */
import {IdList} from '#src/chunk/id-list.js'
import {fileManifest} from '#src/manifest/manifest.js'
import type {TestServer} from './server.js'

export async function plant(server: TestServer, path: string, kind: 'file' | 'deleted', manifest = fileManifest(new IdList(), 0)): Promise<number> {
  return server.storage.journal.transact('recipes', {heads: new Set([path]), under: new Set(), appends: 1}, (view) =>
    view.append({
      path,
      prev: view.head(path)?.jid ?? null,
      kind,
      ...(kind === 'file' ? {manifest} : {}),
      device: 'evil',
      time: Date.now(),
    }),
  )
}
