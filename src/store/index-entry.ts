/**
 * One chunk's place in the store, 52 bytes, the unit of the index (in memory and in LMDB):
 *
 *   32-byte id | u32 pack | u32 block offset in the pack file | u32 block length (compressed)
 *   | u32 chunk offset in the plain block | u32 chunk length          (integers little-endian)
 *
 * A block length of 0 means "not written yet" (an entry of this process still on its way to disk).
 */
export const ENTRY_BYTES = 52
export const ENTRY_ID_BYTES = 32

export interface ChunkLocation {
  pack: number
  blockOffset: number
  blockLength: number
  offset: number
  length: number
}

export function readLocation(entries: Buffer, entry: number): ChunkLocation {
  const at = entry * ENTRY_BYTES + ENTRY_ID_BYTES
  return {
    pack: entries.readUInt32LE(at),
    blockOffset: entries.readUInt32LE(at + 4),
    blockLength: entries.readUInt32LE(at + 8),
    offset: entries.readUInt32LE(at + 12),
    length: entries.readUInt32LE(at + 16),
  }
}

export function writeLocation(entries: Buffer, entry: number, location: ChunkLocation): void {
  const at = entry * ENTRY_BYTES + ENTRY_ID_BYTES
  entries.writeUInt32LE(location.pack, at)
  entries.writeUInt32LE(location.blockOffset, at + 4)
  entries.writeUInt32LE(location.blockLength, at + 8)
  entries.writeUInt32LE(location.offset, at + 12)
  entries.writeUInt32LE(location.length, at + 16)
}
