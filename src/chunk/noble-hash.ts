/** SHA-256 in plain JavaScript (@noble/hashes), for runtimes without node:crypto; ~10x slower, same ids. */
import {sha256} from '@noble/hashes/sha2.js'

// 'binary' is node's name for latin1: one char per byte.
export type Digest = (bytes: Uint8Array, encoding: 'hex' | 'binary') => string

export const nobleDigest: Digest = (bytes, encoding) => Buffer.from(sha256(bytes)).toString(encoding)
