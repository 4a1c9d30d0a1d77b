/**
 * A file manifest's size is a claim: once the namespace holds every chunk it names, the chunks' lengths must add
 * up to it. A version claiming 10^12 bytes for `hello\n` would make every device that trusts it wrong.
 */
import {InvalidInputError} from '#src/errors/index.js'
import type {NamespaceChunks} from '../storage/types.js'
import type {PlannedItem} from './commit-rules.js'

export async function checkSizes(items: readonly PlannedItem[], chunks: NamespaceChunks): Promise<void> {
  for (const [i, item] of items.entries()) {
    const manifest = item.manifest
    if (manifest?.kind !== 'file' || item.missing.length > 0) continue
    const total = (await chunks.totalLength(manifest.ids))!
    if (total !== manifest.size) throw new InvalidInputError(`items.${i}: its chunks make ${total} bytes, not the ${manifest.size} it claims`)
  }
}
