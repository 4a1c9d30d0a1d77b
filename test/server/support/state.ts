/** A namespace's whole state (journal entries, heads, chunks) as plain data, to show a request changed nothing. */
import type {ServerStorage} from '#server/storage/types.js'
import {entryToWire} from '#src/journal/entry-wire.js'

export async function namespaceState(storage: ServerStorage, namespace: string): Promise<unknown> {
  const {journal} = storage
  const chunks = await storage.chunks.namespace(namespace)
  const report = await chunks.check()
  return {
    head: await journal.head(namespace),
    entries: (await journal.range(namespace, 0, 1_000_000)).map((entry) => entryToWire(entry, 'full')),
    heads: (await journal.heads(namespace, undefined, 1000)).heads.map((entry) => entryToWire(entry, 'full')),
    chunks: report.chunks,
    damaged: report.damaged,
  }
}
