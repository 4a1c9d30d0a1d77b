/**
 * Binary form of a manifest, as LMDB keeps it (client state and server journal):
 *   file:    u8 version=1 | u8 kind=1 | u8 flags (bit 0: executable) | f64 size | 32-byte ids...
 *   symlink: u8 version=1 | u8 kind=2 | UTF-8 target
 *   tree:    u8 version=1 | u8 kind=3 | u8 flags | f64 size | u8 depth | f64 count | 32-byte root (server only)
 * Decoding checks everything: arbitrary bytes give CorruptDataError, never a wrong manifest.
 */
import {ID_BYTES} from '../chunk/chunk-id.js'
import {IdList} from '../chunk/id-list.js'
import {CorruptDataError} from '../errors/index.js'
import {MAX_TREE_DEPTH} from './id-tree.js'
import type {FileManifest, Manifest, StoredManifest, TreeManifest} from './manifest.js'

const VERSION = 1
const FILE = 1
const SYMLINK = 2
const TREE = 3
const FILE_HEADER = 11
const TREE_BYTES = FILE_HEADER + 1 + 8 + ID_BYTES
const STRICT_UTF8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

export function encodeManifest(manifest: StoredManifest): Buffer {
  const parts = encodedParts(manifest)
  return parts.length === 1 ? parts[0] : Buffer.concat(parts)
}

/**
 * The encoded manifest as pieces whose concatenation is `encodeManifest`'s bytes: a file's ids are a view of its
 * list, not a copy (what hashes a manifest need not copy a 1 GB text file's 21 MB of ids).
 */
export function encodedParts(manifest: StoredManifest): Buffer[] {
  if (manifest.kind === 'tree') return [encodeTree(manifest)]
  if (manifest.kind === 'symlink') return [Buffer.concat([Buffer.from([VERSION, SYMLINK]), Buffer.from(manifest.target, 'utf8')])]
  const header = Buffer.allocUnsafe(FILE_HEADER)
  header[0] = VERSION
  header[1] = FILE
  header[2] = manifest.exec ? 1 : 0
  header.writeDoubleLE(manifest.size, 3)
  return [header, manifest.ids.toBuffer()]
}

function encodeTree({size, exec, tree}: TreeManifest): Buffer {
  const out = Buffer.alloc(TREE_BYTES)
  out[0] = VERSION
  out[1] = TREE
  out[2] = exec ? 1 : 0
  out.writeDoubleLE(size, 3)
  out[FILE_HEADER] = tree.depth
  out.writeDoubleLE(tree.count, FILE_HEADER + 1)
  out.write(tree.root, FILE_HEADER + 9, 'hex')
  return out
}

function decodeTree(buf: Buffer): TreeManifest {
  if (buf.length !== TREE_BYTES || (buf[2] & ~1) !== 0) throw new CorruptDataError('manifest: bad tree record')
  const size = buf.readDoubleLE(3)
  const depth = buf[FILE_HEADER]
  const count = buf.readDoubleLE(FILE_HEADER + 1)
  if (!Number.isSafeInteger(size) || !Number.isSafeInteger(count) || count < 1 || count > size || depth > MAX_TREE_DEPTH) {
    throw new CorruptDataError('manifest: bad tree size, count or depth')
  }
  return {kind: 'tree', size, exec: buf[2] === 1, tree: {root: buf.toString('hex', FILE_HEADER + 9), depth, count}}
}

/** A client's manifest: a tree record here is damage (only the server keeps trees). */
export function decodeManifest(bytes: Uint8Array): Manifest {
  const manifest = decodeStoredManifest(bytes)
  if (manifest.kind === 'tree') throw new CorruptDataError('manifest: a tree record where a file was expected')
  return manifest
}

export function decodeStoredManifest(bytes: Uint8Array): StoredManifest {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length < 2 || buf[0] !== VERSION) throw new CorruptDataError('manifest: unknown version')
  if (buf[1] === SYMLINK) {
    // Fatal decoding: invalid UTF-8 would otherwise become U+FFFD, a different target than the one stored.
    let target: string
    try {
      target = STRICT_UTF8.decode(buf.subarray(2))
    } catch {
      throw new CorruptDataError('manifest: symlink target is not UTF-8')
    }
    if (target.length === 0 || target.includes('\u0000')) throw new CorruptDataError('manifest: bad symlink target')
    return {kind: 'symlink', target}
  }
  if (buf[1] === TREE) return decodeTree(buf)
  return decodeFile(buf.subarray(0, FILE_HEADER), () => {
    if ((buf.length - FILE_HEADER) % ID_BYTES !== 0) throw new CorruptDataError('manifest: id list is not whole ids')
    return IdList.fromBuffer(Buffer.from(buf.subarray(FILE_HEADER)))
  })
}

/** A file record's header with no ids after it, of a file with bytes: how the folder state marks ids kept in slices. */
export function isHeaderOnly(bytes: Uint8Array): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return buf.length === FILE_HEADER && buf[0] === VERSION && buf[1] === FILE && buf.readDoubleLE(3) > 0
}

/**
 * A file manifest from its header and its ids, kept apart (the folder state keeps a big file's ids in slices:
 * src/state/manifest-slices.ts); `ids` is called once the header is known good, and its list is taken as it is.
 */
export function decodeFile(header: Uint8Array, ids: () => IdList): FileManifest {
  const buf = Buffer.from(header.buffer, header.byteOffset, header.byteLength)
  if (buf.length < FILE_HEADER || buf[0] !== VERSION || buf[1] !== FILE) throw new CorruptDataError('manifest: unknown kind or short header')
  if ((buf[2] & ~1) !== 0) throw new CorruptDataError('manifest: unknown flags')
  const size = buf.readDoubleLE(3)
  if (!Number.isSafeInteger(size) || size < 0) throw new CorruptDataError('manifest: bad size')
  const list = ids()
  if (list.length > size) throw new CorruptDataError('manifest: more chunks than bytes')
  if (size > 0 && list.length === 0) throw new CorruptDataError('manifest: bytes without chunks')
  return {kind: 'file', size, exec: buf[2] === 1, ids: list}
}
