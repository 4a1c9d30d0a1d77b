/**
 * A folder's map between plain chunk ids (what its store, state and engine know) and sealed ones (what the server
 * of an encrypted namespace knows), in the folder's LMDB: db `sealed-ids`, sealed id -> plain id and the plain
 * chunk's length; db `plain-ids`, plain id -> sealed id. Both are caches of what the key computes: a mapping lost
 * (a crash before it was written) costs sealing the chunk again, or fetching and opening it again.
 */
import type {Database, RootDatabase} from 'lmdb'

const key = (hex: string) => Buffer.from(hex, 'hex')

export class SealedIdMap {
  private readonly bySealed: Database<Buffer, Buffer>
  private readonly byPlain: Database<Buffer, Buffer>
  private writes: {sealedId: string; plainId: string; written: Promise<unknown>}[] = []
  /** Mappings recorded and not yet written (an async put is not read back before its transaction commits). */
  private readonly pendingSealed = new Map<string, {id: string; length: number}>()
  private readonly pendingPlain = new Map<string, string>()

  constructor(env: RootDatabase) {
    this.bySealed = env.openDB<Buffer, Buffer>({name: 'sealed-ids', encoding: 'binary', keyEncoding: 'binary'})
    this.byPlain = env.openDB<Buffer, Buffer>({name: 'plain-ids', encoding: 'binary', keyEncoding: 'binary'})
  }

  /** The plain id and length a sealed id stands for, if known. */
  plain(sealedId: string): {id: string; length: number} | undefined {
    const pending = this.pendingSealed.get(sealedId)
    if (pending) return pending
    const value = this.bySealed.get(key(sealedId))
    if (!value || value.length !== 36) return undefined
    return {id: value.subarray(0, 32).toString('hex'), length: value.readUInt32BE(32)}
  }

  sealed(plainId: string): string | undefined {
    const pending = this.pendingPlain.get(plainId)
    if (pending) return pending
    const value = this.byPlain.get(key(plainId))
    return value?.length === 32 ? value.toString('hex') : undefined
  }

  record(plainId: string, length: number, sealedId: string): void {
    const value = Buffer.alloc(36)
    key(plainId).copy(value)
    value.writeUInt32BE(length, 32)
    this.pendingSealed.set(sealedId, {id: plainId, length})
    this.pendingPlain.set(plainId, sealedId)
    this.writes.push({sealedId, plainId, written: Promise.all([this.bySealed.put(key(sealedId), value), this.byPlain.put(key(plainId), key(sealedId))])})
  }

  /** Resolves once the mappings recorded so far are written. */
  async flush(): Promise<void> {
    const writes = this.writes
    this.writes = []
    await Promise.all(writes.map((write) => write.written))
    for (const {sealedId, plainId} of writes) {
      this.pendingSealed.delete(sealedId)
      this.pendingPlain.delete(plainId)
    }
  }
}
