/**
 * Chunks as the server sees them in an encrypted namespace: sealed (seal.ts, AAD `chunk`) and named by the
 * SHA-256 of the sealed bytes, so the server still checks every chunk against its id and nobody can squat an id
 * with other bytes; only devices holding the key know which plain chunk a sealed id stands for.
 */
import {sha256Hex} from '../chunk/hash.js'
import {SealBrokenError} from '../errors/index.js'
import {chunkBucket} from './padding.js'
import {open, seal, type SealKey} from './seal.js'
import type {SubKeys} from './sub-keys.js'

const chunkKey = (keys: SubKeys): SealKey => ({key: keys.chunk, nonceKey: keys.chunkNonce, use: 'chunk', bucket: chunkBucket})

export interface SealedChunk {
  id: string
  bytes: Buffer
}

export function sealChunk(plain: Uint8Array, keys: SubKeys): SealedChunk {
  const bytes = seal(plain, chunkKey(keys))
  return {id: sha256Hex(bytes), bytes}
}

/** The plain bytes of a sealed chunk, checked against its sealed id first. `what` names it in an error (a path). */
export function openChunk(sealedId: string, sealed: Uint8Array, keys: SubKeys, what: string): Buffer {
  if (sha256Hex(sealed) !== sealedId) throw new SealBrokenError(`${what}: chunk ${sealedId} does not hash to its id`, {id: sealedId})
  return open(sealed, chunkKey(keys), `${what}: chunk ${sealedId}`)
}
