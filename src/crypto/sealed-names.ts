/**
 * Paths and symlink targets as the server sees them in an encrypted namespace. A path is sealed whole (its
 * folders too, so the directory structure is hidden) into `e/` and the base64url of the sealed bytes, cut into
 * names of at most 255 bytes to pass the protocol's path rules; a target is `e:` and the base64url. A plain path
 * seals to at most 1024 bytes up to MAX_PLAIN_PATH_BYTES (735): a longer one is refused at scan time.
 */
import {MAX_NAME_BYTES, MAX_PATH_BYTES, validatePath} from '../paths/validate-path.js'
import {SealBrokenError} from '../errors/index.js'
import {nameBucket} from './padding.js'
import {open, seal, SEAL_OVERHEAD, type SealKey} from './seal.js'
import type {SubKeys} from './sub-keys.js'

const PATH_HEAD = 'e/'
const TARGET_HEAD = 'e:'

function nameKey(keys: SubKeys, use: 'name' | 'target'): SealKey {
  return {key: keys.name, nonceKey: keys.nameNonce, use, bucket: nameBucket}
}

function segments(text: string): string {
  const parts: string[] = []
  for (let at = 0; at < text.length; at += MAX_NAME_BYTES) parts.push(text.slice(at, at + MAX_NAME_BYTES))
  return parts.join('/')
}

/** Bytes of the sealed path of a plain path of `plain` bytes. */
function sealedPathBytes(plain: number): number {
  const chars = Math.ceil(((SEAL_OVERHEAD + nameBucket(plain + 1)) * 4) / 3)
  return PATH_HEAD.length + chars + Math.ceil(chars / MAX_NAME_BYTES) - 1
}

/** The longest plain path (UTF-8 bytes) whose sealed form the protocol takes. */
export const MAX_PLAIN_PATH_BYTES = (() => {
  let plain = 1
  while (sealedPathBytes(plain + 1) <= MAX_PATH_BYTES) plain++
  return plain
})()

export function sealPath(path: string, keys: SubKeys): string {
  return PATH_HEAD + segments(seal(Buffer.from(path), nameKey(keys, 'name')).toString('base64url'))
}

/** The plain path of a sealed one; SealBrokenError when it is not one this key sealed, or opens to a path the protocol refuses. */
export function openPath(sealed: string, keys: SubKeys): string {
  const what = `the sealed path ${sealed.slice(0, 40)}...`
  if (!sealed.startsWith(PATH_HEAD)) throw new SealBrokenError(`${what}: not sealed (a plain path in an encrypted namespace)`)
  const path = open(Buffer.from(sealed.slice(PATH_HEAD.length).replaceAll('/', ''), 'base64url'), nameKey(keys, 'name'), what).toString('utf8')
  const reason = validatePath(path)
  if (reason !== undefined) throw new SealBrokenError(`${what}: it opens to a path the protocol refuses (${reason})`)
  return path
}

/** Why a plain path cannot be sealed, or undefined. */
export function unsealable(path: string): string | undefined {
  const bytes = Buffer.byteLength(path)
  return bytes > MAX_PLAIN_PATH_BYTES ? `it is over ${MAX_PLAIN_PATH_BYTES} bytes, the most an encrypted namespace takes` : undefined
}

export function sealTarget(target: string, keys: SubKeys): string {
  return TARGET_HEAD + seal(Buffer.from(target), nameKey(keys, 'target')).toString('base64url')
}

export function openTarget(sealed: string, keys: SubKeys, path: string): string {
  const what = `the link target of ${path}`
  if (!sealed.startsWith(TARGET_HEAD)) throw new SealBrokenError(`${what}: not sealed (a plain target in an encrypted namespace)`)
  const target = open(Buffer.from(sealed.slice(TARGET_HEAD.length), 'base64url'), nameKey(keys, 'target'), what).toString('utf8')
  if (target.length === 0 || target.includes('\u0000')) throw new SealBrokenError(`${what}: it opens to no valid target`)
  return target
}

/** Whether a wire path or target has the sealed form (what the server of an encrypted namespace accepts). */
export const SEALED_PATH = /^e\/[A-Za-z0-9_-]{1,255}(\/[A-Za-z0-9_-]{1,255})*$/
export const SEALED_TARGET = /^e:[A-Za-z0-9_-]+$/
