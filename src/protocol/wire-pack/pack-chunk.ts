/** A chunk as packs carry it: its id (64 lowercase hex digits) and its bytes. */
export interface PackChunk {
  id: string
  bytes: Buffer
}

/** Tar entry names of a wire pack: the block's sequence number, from 0, in eight digits. */
export function blockEntryName(index: number): string {
  return `${String(index).padStart(8, '0')}.blk`
}

/** The pack's media type; `PACK_WITHOUT_IDS` is what a client that takes blocks without ids accepts (docs/protocol.md). */
export const PACK_TYPE = 'application/x-sync-pack'
export const PACK_WITHOUT_IDS = `${PACK_TYPE}; ids=none`

/** Whether an `Accept` header asks for blocks without ids. */
export function acceptsPackWithoutIds(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((type) => type.replace(/\s+/g, '').toLowerCase() === PACK_WITHOUT_IDS.replace(/\s+/g, ''))
}
