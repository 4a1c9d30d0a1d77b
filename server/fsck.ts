/**
 * The server's own check (`sync-server fsck`): every namespace's chunk store block by block (src/store/fsck.ts),
 * and every present head's chunks are in its namespace's store. Reports; changes nothing (but opening a
 * namespace's store moves the chunks a commit staged into it, as every opening does: docs/storage.md).
 */
import type {Damage} from '#src/store/fsck.js'
import {InvalidInputError, MissingChunksError} from '#src/errors/index.js'
import type {StoredManifest} from '#src/manifest/manifest.js'
import type {NamespaceChunks, ServerStorage} from './storage/types.js'
import {versionIds} from './storage/version-ids.js'

/**
 * The chunks of a version the store lacks: for a tree, its missing nodes, or else the chunks its leaves list. A
 * tree that does not read as one (a node that is no list of ids, counts that do not add up) is reported with its
 * root and why, and the check goes on.
 */
async function missingOf(manifest: StoredManifest | undefined, chunks: NamespaceChunks): Promise<{missing: string[]; reason?: string}> {
  if (manifest?.kind !== 'file' && manifest?.kind !== 'tree') return {missing: []}
  try {
    return {missing: await chunks.missing(await versionIds(manifest, chunks))}
  } catch (error) {
    if (error instanceof MissingChunksError) return {missing: error.ids}
    if (error instanceof InvalidInputError && manifest.kind === 'tree') return {missing: [manifest.tree.root], reason: error.message}
    throw error
  }
}

export interface NamespaceCheck {
  namespace: string
  chunks: number
  blocks: number
  packs: number
  damaged: Damage[]
  heads: number
  /** Heads naming chunks the store lacks (or whose tree does not read as one: `reason`, `missing` its root). */
  incomplete: {path: string; jid: number; missing: string[]; reason?: string}[]
}

export async function fsckServer(storage: ServerStorage): Promise<NamespaceCheck[]> {
  const checks: NamespaceCheck[] = []
  for (const namespace of await storage.tokens.namespaces()) {
    const chunks = await storage.chunks.namespace(namespace)
    const {chunks: count, blocks, packs, damaged} = await chunks.check()
    const check: NamespaceCheck = {namespace, chunks: count, blocks, packs, damaged, heads: 0, incomplete: []}
    let after: string | undefined
    for (;;) {
      const page = await storage.journal.heads(namespace, after, 1000)
      for (const head of page.heads) {
        check.heads++
        const {missing, reason} = await missingOf(head.manifest, chunks)
        if (missing.length > 0) check.incomplete.push({path: head.path, jid: head.jid, missing, ...(reason ? {reason} : {})})
      }
      if (!page.more) break
      after = page.heads.at(-1)!.path
    }
    checks.push(check)
  }
  return checks
}
