/**
 * The mark phase over the journal: every chunk a kept version names, a file's ids, and for a file kept as a tree
 * (src/manifest/id-tree.ts) its nodes and everything they list. Nodes seen once are not walked again (an edit of
 * a big file shares all but a few nodes with the version before). A node that cannot be read stops the
 * collection: nothing is dropped on the word of a damaged tree.
 */
import {IdList} from '#src/chunk/id-list.js'
import {nodeIds, type TreeRef} from '#src/manifest/id-tree.js'
import type {Marks} from '#src/store/gc-marks.js'
import {crashPoint} from '#src/util/crash-point.js'
import type {JournalStorage, NamespaceChunks} from '../storage/types.js'

const PAGE = 1000

export class VersionMarker {
  private readonly seenNodes = new Set<string>()

  constructor(
    private readonly journal: JournalStorage,
    private readonly namespace: string,
    private readonly chunks: NamespaceChunks,
  ) {}

  /** Marks the chunks of the entries after JID `since` up to `upto`, except those in `skip` (pruned ones). */
  async mark(marks: Marks, since: number, upto: number, skip: ReadonlySet<number> = new Set()): Promise<void> {
    for (let after = since; after < upto;) {
      const page = await this.journal.range(this.namespace, after, Math.min(PAGE, upto - after))
      if (page.length === 0) break
      for (const {jid, manifest} of page) {
        if (skip.has(jid)) continue
        if (manifest?.kind === 'file') marks.markList(manifest.ids)
        if (manifest?.kind === 'tree') await this.markTree(manifest.tree, marks)
      }
      after = page.at(-1)!.jid
      crashPoint('gc-mid-mark')
    }
  }

  private async markTree(tree: TreeRef, marks: Marks): Promise<void> {
    let level = [tree.root]
    for (let depth = tree.depth; level.length > 0; depth--) {
      const below: string[] = []
      for (const id of level) {
        const key = `${depth}:${id}`
        if (this.seenNodes.has(key)) continue
        this.seenNodes.add(key)
        marks.markHex(id)
        const ids = IdList.fromBuffer(nodeIds(await this.chunks.read(id), id))
        if (depth === 0) marks.markList(ids)
        else below.push(...ids.toHexArray())
      }
      level = depth === 0 ? [] : below
    }
  }
}
