/**
 * A block: the unit that is compressed and read back, holding whole chunks, in packs on disk and on the wire.
 * Plain layout (before compression), little-endian:
 *
 *   u32 count | u32 flags | [count x 32-byte id, when flags & HAS_IDS] | count x u32 length | chunk bytes
 *
 * The lengths make a block self-describing (a pack can be checked or re-indexed without the index); ids are
 * carried on the wire, where the receiver checks each chunk against the id the sender claims.
 */
import {CorruptDataError} from '../errors/index.js'
import {ID_BYTES} from '../chunk/chunk-id.js'

export const HAS_IDS = 1
const FIXED_HEADER = 8

export interface DecodedBlock {
  count: number
  /** count x 32 bytes, when the block carries ids. */
  ids?: Buffer
  /** Offset of each chunk's bytes within the plain block. */
  offsets: Uint32Array
  lengths: Uint32Array
  plain: Buffer
}

export function headerSize(count: number, withIds: boolean): number {
  return FIXED_HEADER + count * 4 + (withIds ? count * ID_BYTES : 0)
}

/** Writes the header for `lengths` (and `ids`) into the front of `target`, which has room for it. */
export function writeHeader(target: Buffer, lengths: ArrayLike<number>, count: number, ids?: Buffer): number {
  target.writeUInt32LE(count, 0)
  target.writeUInt32LE(ids ? HAS_IDS : 0, 4)
  let at = FIXED_HEADER
  if (ids) at += ids.copy(target, at, 0, count * ID_BYTES)
  for (let i = 0; i < count; i++, at += 4) target.writeUInt32LE(lengths[i], at)
  return at
}

/** Parses and checks a plain block; anything inconsistent is CorruptDataError. */
export function decodeBlock(plain: Buffer): DecodedBlock {
  if (plain.length < FIXED_HEADER) throw new CorruptDataError('block too short for its header')
  const count = plain.readUInt32LE(0)
  const flags = plain.readUInt32LE(4)
  if ((flags & ~HAS_IDS) !== 0) throw new CorruptDataError(`block has unknown flags ${flags}`)
  const withIds = (flags & HAS_IDS) !== 0
  if (headerSize(count, withIds) > plain.length) throw new CorruptDataError(`block header claims ${count} chunks, more than it can hold`)
  let at = FIXED_HEADER
  const ids = withIds ? plain.subarray(at, at + count * ID_BYTES) : undefined
  if (withIds) at += count * ID_BYTES
  const lengths = new Uint32Array(count)
  const offsets = new Uint32Array(count)
  let offset = headerSize(count, withIds)
  for (let i = 0; i < count; i++, at += 4) {
    lengths[i] = plain.readUInt32LE(at)
    offsets[i] = offset
    offset += lengths[i]
  }
  if (offset !== plain.length) throw new CorruptDataError(`block lengths add up to ${offset} bytes, the block has ${plain.length}`)
  return {count, ids, offsets, lengths, plain}
}
