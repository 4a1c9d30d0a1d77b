/**
 * What an encrypted namespace's commits may carry (docs/protocol.md, Encryption): sealed paths and link targets,
 * whole manifests of sealed chunk ids, and nothing else. Edits, trees and inline chunk bytes are refused: they are
 * forms only a plain client sends, and the bytes in JSON could be plaintext. A plain namespace refuses none of them.
 */
import {EncryptionMismatchError} from '#src/errors/index.js'
import {SEALED_PATH, SEALED_TARGET} from '#src/crypto/sealed-names.js'
import type {CommitRequest} from './commit-request.js'

const refuse = (what: string) => new EncryptionMismatchError(`this namespace is end-to-end encrypted: ${what}`)

export function checkSealedForms(request: CommitRequest): void {
  if (request.inline.length > 0) throw refuse('chunk bytes travel sealed, in packs, never inline')
  for (const [i, item] of request.items.entries()) {
    const at = `items.${i}`
    for (const path of [item.path, ...(item.from ? [item.from.path] : [])]) {
      if (!SEALED_PATH.test(path)) throw refuse(`${at}: its paths must be sealed (e/...)`)
    }
    const {change} = item
    if ('edits' in change) throw refuse(`${at}: versions travel as whole manifests, not edits`)
    if ('manifest' in change) {
      const {manifest} = change
      if (manifest.kind === 'tree') throw refuse(`${at}: versions travel as whole manifests, not trees`)
      if (manifest.kind === 'symlink' && !SEALED_TARGET.test(manifest.target)) throw refuse(`${at}: a link target must be sealed (e:...)`)
    }
  }
}
