/**
 * The server's own check (`sync-server fsck`): every namespace's chunk store block by block (src/store/fsck.ts),
 * and every present head's chunks are in its namespace's store. Reports; changes nothing.
 */
import type {Damage} from '../src/store/fsck.js'
import type {ServerStorage} from './storage/types.js'

export interface NamespaceCheck {
  namespace: string
  chunks: number
  blocks: number
  packs: number
  damaged: Damage[]
  heads: number
  /** Heads naming chunks the store lacks. */
  incomplete: {path: string; jid: number; missing: string[]}[]
}

export async function fsckServer(storage: ServerStorage): Promise<NamespaceCheck[]> {
  const checks: NamespaceCheck[] = []
  for (const namespace of storage.tokens.namespaces()) {
    const chunks = await storage.chunks.namespace(namespace)
    const {chunks: count, blocks, packs, damaged} = await chunks.check()
    const check: NamespaceCheck = {namespace, chunks: count, blocks, packs, damaged, heads: 0, incomplete: []}
    let after: string | undefined
    for (;;) {
      const page = storage.journal.heads(namespace, after, 1000)
      for (const head of page.heads) {
        check.heads++
        if (head.manifest?.kind !== 'file') continue
        const missing = chunks.missing(head.manifest.ids)
        if (missing.length > 0) check.incomplete.push({path: head.path, jid: head.jid, missing})
      }
      if (!page.more) break
      after = page.heads.at(-1)!.path
    }
    checks.push(check)
  }
  return checks
}
