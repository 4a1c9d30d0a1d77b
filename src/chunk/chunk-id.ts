/** Chunk ids: SHA-256 of the chunk's bytes; 32 bytes inside (manifests, index), 64 lowercase hex digits outside. */
// The error's own module, not the index of them all: the hashing thread loads this file and little else.
import {InvalidIdError} from '../errors/invalid-id-error.js'

export const ID_BYTES = 32
export const ID_HEX_LENGTH = 64

const HEX_ID = /^[0-9a-fA-F]{64}$/

export function isChunkId(text: string): boolean {
  return HEX_ID.test(text)
}

/** The id in canonical form (lowercase), or InvalidIdError. */
export function parseChunkId(text: string): string {
  if (!HEX_ID.test(text)) throw new InvalidIdError(text)
  return text.toLowerCase()
}

export function parseChunkIds(texts: Iterable<string>): string[] {
  const ids: string[] = []
  for (const text of texts) ids.push(parseChunkId(text))
  return ids
}
