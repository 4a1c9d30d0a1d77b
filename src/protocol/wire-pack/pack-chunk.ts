/** A chunk as packs carry it: its id (64 lowercase hex digits) and its bytes. */
export interface PackChunk {
  id: string
  bytes: Buffer
}

/** Tar entry names of a wire pack: the block's sequence number, from 0, in eight digits. */
export function blockEntryName(index: number): string {
  return `${String(index).padStart(8, '0')}.blk`
}
