/**
 * Binary LMDB keys of the journal, compared byte-wise: `ns \0 ...`. Namespaces and paths never hold NUL
 * (or any control character), so `ns \0` .. `ns \1` spans exactly one namespace, and `ns \0 path \0` one path.
 * JIDs are big-endian u32 so that they sort as numbers.
 */

function withJid(prefix: string, jid: number): Buffer {
  const head = Buffer.from(prefix)
  const key = Buffer.allocUnsafe(head.length + 4)
  head.copy(key)
  key.writeUInt32BE(jid, head.length)
  return key
}

export const entryKey = (namespace: string, jid: number): Buffer => withJid(`${namespace}\0`, jid)
export const headKey = (namespace: string, path: string): Buffer => Buffer.from(`${namespace}\0${path}`)
export const touchKey = (namespace: string, path: string, jid: number): Buffer => withJid(`${namespace}\0${path}\0`, jid)

/** The first key after `key` and everything that extends it. */
export const after = (key: Buffer): Buffer => Buffer.concat([key, Buffer.from([0])])
export const namespaceStart = (namespace: string): Buffer => Buffer.from(`${namespace}\0`)
export const namespaceEnd = (namespace: string): Buffer => Buffer.from(`${namespace}\u0001`)

export const jidOfKey = (key: Buffer): number => key.readUInt32BE(key.length - 4)
export const pathOfHeadKey = (namespace: string, key: Buffer): string => key.toString('utf8', Buffer.byteLength(namespace) + 1)
