/**
 * A commit's few small new chunks, written in the journal's own LMDB transaction (db `staged-chunks`:
 * `ns \0 id` -> the chunk's bytes) instead of being flushed to the namespace's chunk store first: the chunks and
 * the entries that name them become durable in one flush instead of three (the pack's fsync, the chunk index's
 * transaction, the journal's). The chunks are in the store's memory from the start, so they read at once; soon
 * after, the store flushes them and their staged copies are dropped (LmdbChunks.settle). A copy is dropped only
 * after a flush that made its chunk durable in the store, so a chunk named by an entry is always in one or the
 * other; after a crash, opening the namespace's store settles what was left before anything reads it.
 */
import type {Database, RootDatabase} from 'lmdb'
import {durableTransaction} from '#src/db/durable.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import {namespaceEnd, namespaceStart} from './keys.js'

/** At most this many bytes of a commit's chunks are staged; a commit of more flushes the store first. */
export const STAGE_MAX_BYTES = 64 * 1024

const stagedKey = (namespace: string, id: string): Buffer => Buffer.concat([namespaceStart(namespace), Buffer.from(id, 'hex')])

export class StagedChunks {
  private readonly db: Database<Buffer, Buffer>

  constructor(private readonly env: RootDatabase) {
    this.db = env.openDB<Buffer, Buffer>({name: 'staged-chunks', keyEncoding: 'binary', encoding: 'binary'})
  }

  /** Writes copies of `chunks`: call inside the transaction that writes the entries naming them. */
  stage(namespace: string, chunks: readonly PackChunk[]): void {
    for (const {id, bytes} of chunks) this.db.putSync(stagedKey(namespace, id), bytes)
  }

  /** The namespace's staged chunks. */
  of(namespace: string): PackChunk[] {
    const skip = namespaceStart(namespace).length
    return [...this.db.getRange({start: namespaceStart(namespace), end: namespaceEnd(namespace)})].map(({key, value}) => ({
      id: key.subarray(skip).toString('hex'),
      bytes: value,
    }))
  }

  /** Drops the copies of these chunks, durably: only once the store holds them durably. */
  async drop(namespace: string, ids: readonly string[]): Promise<void> {
    await durableTransaction(this.env, () => {
      for (const id of ids) this.db.removeSync(stagedKey(namespace, id))
    })
  }
}
