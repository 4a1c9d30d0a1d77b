/**
 * The folder state's manifests (db `state-manifests`), a big file's kept in slices. A 1 GB text file's ids are
 * 21 MB: stored as one value, they were encoded into one buffer and written into as many bytes of LMDB's dirty
 * pages in the pass's transaction, both at once, beside the list itself (a receiving daemon's peak memory at the
 * end of a 1 GB download). A manifest of more than SLICE_IDS ids is kept as its header alone under its key, and
 * its ids in slices of SLICE_IDS under the key followed by the slice's number (4 bytes, big-endian), each slice
 * written in a durable transaction of its own before the header goes in with the record that names it: at most
 * one slice is in flight, and a crash in between leaves only slices no header names (dropped with the unnamed
 * manifests). A header alone, with bytes and no ids, is what state format 1 readers refuse as damage: an older
 * sync never reads it as a shorter file.
 */
import type {Database, RootDatabase} from 'lmdb'
import {ID_BYTES} from '../chunk/chunk-id.js'
import {IdList} from '../chunk/id-list.js'
import {durableTransaction} from '../db/durable.js'
import {CorruptDataError} from '../errors/index.js'
import {decodeFile, decodeManifest, encodedParts, isHeaderOnly} from '../manifest/manifest-codec.js'
import type {FileManifest, Manifest} from '../manifest/manifest.js'

/** Ids per slice: 2 MiB. */
export const SLICE_IDS = 65_536
const SLICE_BYTES = SLICE_IDS * ID_BYTES
const INDEX_BYTES = 4

type ManifestDb = Database<Buffer, Buffer>

/** Whether `manifest` is kept in slices. */
export function isSliced(manifest: Manifest): manifest is FileManifest {
  return manifest.kind === 'file' && manifest.ids.length > SLICE_IDS
}

function sliceKey(key: Buffer, index: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + INDEX_BYTES)
  key.copy(out)
  out.writeUInt32BE(index, key.length)
  return out
}

/** The manifest key a stored key belongs to: itself, or the manifest whose slice it is. */
export const ownerOf = (key: Buffer, keyBytes: number): Buffer => (key.length === keyBytes + INDEX_BYTES ? key.subarray(0, keyBytes) : key)

/** What goes under the key of a manifest whose ids are in slices: its header alone. */
export const sliceHead = (manifest: Manifest): Buffer => encodedParts(manifest)[0]

/** Writes the slices of a big manifest's ids, each in a durable transaction of its own (the header goes after). */
export async function writeSlices(env: RootDatabase, db: ManifestDb, key: Buffer, manifest: FileManifest): Promise<void> {
  const ids = manifest.ids.toBuffer()
  for (let index = 0; index * SLICE_BYTES < ids.length; index++) {
    const slice = ids.subarray(index * SLICE_BYTES, (index + 1) * SLICE_BYTES)
    await durableTransaction(env, () => db.putSync(sliceKey(key, index), slice), slice.length)
  }
}

/** The manifest stored under `key`, or undefined when there is none; a slice missing or out of shape is damage. */
export function readManifest(db: ManifestDb, key: Buffer): Manifest | undefined {
  const head = db.getBinary(key)
  if (!head) return undefined
  if (!isHeaderOnly(head)) return decodeManifest(head)
  return decodeFile(head, () => readSlices(db, key))
}

function readSlices(db: ManifestDb, key: Buffer): IdList {
  const keys = [...db.getKeys({start: sliceKey(key, 0), end: sliceKey(key, 0xffffffff)})]
  const damaged = (what: string) => new CorruptDataError(`manifest ${key.toString('hex')}: ${what}`)
  if (keys.length === 0) throw damaged('its ids are not stored')
  const last = db.getBinary(keys.at(-1)!)
  if (!last || last.length === 0 || last.length > SLICE_BYTES || last.length % ID_BYTES !== 0) throw damaged('its last slice is not whole ids')
  const bytes = Buffer.allocUnsafe((keys.length - 1) * SLICE_BYTES + last.length)
  keys.forEach((sliceKeyRead, index) => {
    if (sliceKeyRead.length !== key.length + INDEX_BYTES || sliceKeyRead.readUInt32BE(key.length) !== index) throw damaged(`slice ${index} is missing`)
    // A fast read is lmdb-js's shared buffer (its byteLength is the whole buffer's): copied at once, by its length.
    const slice = index === keys.length - 1 ? last : db.getBinaryFast(sliceKeyRead)
    if (!slice || (index < keys.length - 1 && slice.length !== SLICE_BYTES)) throw damaged(`slice ${index} is not ${SLICE_IDS} ids`)
    bytes.set(slice.subarray(0, slice.length), index * SLICE_BYTES)
  })
  return IdList.fromBuffer(bytes)
}
