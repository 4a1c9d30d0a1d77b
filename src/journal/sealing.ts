/**
 * End-to-end encryption on the wire (docs/security.md): the journal client of an encrypted folder maps everything
 * through here, both ways, so that the engine, the store and the folder state keep plain paths and plain chunk ids
 * while the server sees only sealed ones (as path-prefix.ts does for a sub-tree). Going out: paths and link targets
 * are sealed (src/crypto/sealed-names.ts), manifests list sealed ids with the sealed chunks' total as their size,
 * chunks are sealed as they are packed. Coming in: every sealed id not yet mapped has its chunk fetched, checked
 * against its id, opened, stored under its plain id and mapped, before the engine sees the entry. An entry that does
 * not open (its path, its target or one of its chunks) is refused by name, and nothing of that version is written.
 */
import {hexToKey, sha256Hex} from '../chunk/hash.js'
import {IdList} from '../chunk/id-list.js'
import {openChunk, sealChunk} from '../crypto/sealed-chunks.js'
import {openPath, openTarget, sealPath, sealTarget, unsealable} from '../crypto/sealed-names.js'
import {chunkBucket} from '../crypto/padding.js'
import {SEAL_OVERHEAD} from '../crypto/seal.js'
import type {SealedIdMap} from '../crypto/sealed-id-map.js'
import type {SubKeys} from '../crypto/sub-keys.js'
import {InvalidInputError, MissingChunksError, SealBrokenError} from '../errors/index.js'
import type {Manifest} from '../manifest/manifest.js'
import {validatePath} from '../paths/validate-path.js'
import type {PackChunk} from '../protocol/wire-pack/pack-chunk.js'
import type {ChunkStore} from '../store/chunk-store.js'
import type {CommitItem, CommitResult} from './commit-wire.js'
import type {JournalEntry} from './journal-entry.js'
import type {RefusedEntry} from './read-answers.js'

/** Downloads sealed chunks by sealed id (the client's packs/fetch), each checked against its id. */
export type SealedFetch = (ids: string[], take: (chunk: PackChunk) => Promise<void>) => Promise<void>

const sealedLength = (plain: number) => SEAL_OVERHEAD + chunkBucket(plain + 1)

export class Sealing {
  private store?: ChunkStore

  constructor(
    private readonly keys: SubKeys,
    private readonly map: SealedIdMap,
  ) {}

  /** The store opened chunks go to, and sealed ones are made from (the folder's). */
  useStore(store: ChunkStore): void {
    this.store = store
  }

  private get chunks(): ChunkStore {
    if (!this.store) throw new InvalidInputError('an encrypted folder syncs through its chunk store')
    return this.store
  }

  /** Why a plain path cannot be sent sealed, or undefined. */
  unsendable(path: string): string | undefined {
    return validatePath(path) ?? unsealable(path)
  }

  toRemote(path: string): string {
    return sealPath(path, this.keys)
  }

  /** The sealed id of a plain chunk this device has (mapped, or sealed now from the store and mapped). */
  async sealedId(plainId: string): Promise<string> {
    return (await this.sealedOf(plainId)).id
  }

  /** The sealed id and the plain length of a chunk this device has: both mapped, or found again by sealing it. */
  private async sealedOf(plainId: string): Promise<{id: string; length: number}> {
    const id = this.map.sealed(plainId)
    const length = id === undefined ? undefined : this.map.plain(id)?.length
    if (id !== undefined && length !== undefined) return {id, length}
    const sealed = await this.sealStored(plainId)
    return {id: sealed.id, length: this.map.plain(sealed.id)!.length}
  }

  /** A stored plain chunk sealed, its mapping recorded: what an upload sends. */
  async sealStored(plainId: string): Promise<PackChunk> {
    const plain = await this.chunks.read(plainId)
    const sealed = sealChunk(plain, this.keys)
    this.map.record(plainId, plain.length, sealed.id)
    return sealed
  }

  /** The plain ids of sealed ones this device mapped (a commit's `missing`, a server's answer to `missing`). */
  plainIds(sealedIds: readonly string[]): string[] {
    return sealedIds.map((id) => this.map.plain(id)?.id ?? id)
  }

  /** A commit item as it travels: sealed paths, a whole manifest of sealed ids (push sends no edits or trees here). */
  async item(item: CommitItem): Promise<CommitItem> {
    const path = this.toRemote(item.path)
    const from = item.from ? {from: {...item.from, path: this.toRemote(item.from.path)}} : {}
    if ('deleted' in item) return {...item, path, ...from}
    if (!('manifest' in item)) throw new InvalidInputError(`${item.path}: an encrypted folder commits whole manifests`)
    return {path, base: item.base, ...from, manifest: await this.sealManifest(item.manifest)}
  }

  private async sealManifest(manifest: Manifest): Promise<Manifest> {
    if (manifest.kind === 'symlink') return {kind: 'symlink', target: sealTarget(manifest.target, this.keys)}
    const ids = new IdList(manifest.ids.length)
    let size = 0
    for (const plainId of manifest.ids) {
      const sealed = await this.sealedOf(plainId)
      ids.pushHex(sealed.id)
      size += sealedLength(sealed.length)
    }
    return {kind: 'file', size, exec: manifest.exec, ids}
  }

  async result(result: CommitResult, fetch: SealedFetch): Promise<CommitResult> {
    if (result.status === 'missing') return {status: 'missing', ids: this.plainIds(result.ids)}
    if (result.status === 'conflict') return {status: 'conflict', head: await this.entry(result.head, fetch)}
    if (result.from !== undefined) return {...result, from: openPath(result.from, this.keys)}
    return result
  }

  /** One entry that must open (the answer to a request naming it): else its SealBrokenError. */
  async entry(entry: JournalEntry, fetch: SealedFetch): Promise<JournalEntry> {
    const [read] = await this.entries([entry], fetch)
    if (!read.entry) throw new SealBrokenError(read.refused[0]?.reason ?? `journal entry ${entry.jid} does not open`, {jid: entry.jid})
    return read.entry
  }

  /** Entries as the engine sees them: plain paths and ids, their chunks stored; those that do not open refused. */
  async entries(entries: readonly JournalEntry[], fetch: SealedFetch): Promise<{entry?: JournalEntry; refused: RefusedEntry[]}[]> {
    const opened = entries.map((entry) => this.openNames(entry))
    // Without a store (a reader without the folder's lock): paths only.
    if (!this.store) return opened.map(({entry, refused}) => ({refused, ...(entry ? {entry: withoutIds(entry)} : {})}))
    const broken = await this.openChunks(
      opened.flatMap((read) => (read.entry?.manifest?.kind === 'file' ? [read.entry.manifest.ids] : [])),
      fetch,
    )
    return opened.map((read) => {
      const manifest = read.entry?.manifest
      if (!read.entry || manifest?.kind !== 'file') return read
      const entry = read.entry
      for (const id of manifest.ids) {
        const why = broken.get(id)
        if (why) return {refused: [{path: entry.path, reason: `${entry.path}: ${why}`, gone: false}]}
      }
      const ids = new IdList(manifest.ids.length)
      let size = 0
      for (const sealedId of manifest.ids) {
        const plain = this.map.plain(sealedId)!
        ids.pushHex(plain.id)
        size += plain.length
      }
      return {entry: {...entry, size, manifest: {kind: 'file', size, exec: manifest.exec, ids}}, refused: []}
    })
  }

  /** The entry with its path, old path and link target opened (its ids still sealed); refused when one does not open. */
  private openNames(entry: JournalEntry): {entry?: JournalEntry; refused: RefusedEntry[]} {
    const gone = entry.kind === 'deleted'
    try {
      const path = openPath(entry.path, this.keys)
      try {
        if (entry.edits || entry.tree) throw new SealBrokenError(`${path}: an encrypted namespace's entries travel whole`)
        const from = entry.from === undefined ? {} : {from: openPath(entry.from, this.keys)}
        const manifest =
          entry.manifest?.kind === 'symlink' ? {manifest: {kind: 'symlink' as const, target: openTarget(entry.manifest.target, this.keys, path)}} : {}
        return {entry: {...entry, path, ...from, ...manifest}, refused: []}
      } catch (error) {
        if (!(error instanceof SealBrokenError)) throw error
        return {refused: [{path, reason: error.message, gone}]}
      }
    } catch (error) {
      if (!(error instanceof SealBrokenError)) throw error
      return {refused: [{path: entry.path, reason: error.message, gone}]}
    }
  }

  /**
   * Fetches, checks, opens and stores the chunks of these sealed id lists not mapped yet. Returns why each chunk
   * that could not be had failed (absent from the server, or not opening), by sealed id.
   */
  private async openChunks(lists: readonly IdList[], fetch: SealedFetch): Promise<Map<string, string>> {
    const wanted = new Set<string>()
    for (const ids of lists) for (const id of ids) if (!this.map.plain(id)) wanted.add(id)
    const broken = new Map<string, string>()
    if (wanted.size === 0) return broken
    const store = this.chunks
    const take = async ({id, bytes}: PackChunk) => {
      try {
        const plain = openChunk(id, bytes, this.keys, 'its content')
        const plainId = sha256Hex(plain)
        if (!store.has(plainId)) store.addKeyed(plain, hexToKey(plainId))
        this.map.record(plainId, plain.length, id)
        if (store.needsDrain) await store.drain()
      } catch (error) {
        if (!(error instanceof SealBrokenError)) throw error
        broken.set(id, error.message)
      }
    }
    let asked = [...wanted]
    while (asked.length > 0) {
      try {
        await fetch(asked, take)
        asked = []
      } catch (error) {
        // The server names every id it lacks and sends nothing: the others are asked for again.
        if (!(error instanceof MissingChunksError)) throw error
        const lacking = new Set(error.ids)
        for (const id of lacking) broken.set(id, `the server lacks chunk ${id} of it`)
        asked = asked.filter((id) => !lacking.has(id) && !broken.has(id) && !this.map.plain(id))
      }
    }
    await store.flush()
    await this.map.flush()
    return broken
  }

  /**
   * Plain chunks by plain id through `fetch` (their sealed ids known here): each opened and checked against its
   * plain id before `take` has it. An id with no known sealed id is missing.
   */
  async fetchPlain(plainIds: readonly string[], fetch: SealedFetch, take: (id: string, bytes: Buffer) => Promise<void>): Promise<void> {
    const bySealed = new Map<string, string>()
    const unknown: string[] = []
    for (const id of plainIds) {
      const sealedId = this.map.sealed(id)
      if (sealedId) bySealed.set(sealedId, id)
      else unknown.push(id)
    }
    if (unknown.length > 0) throw new MissingChunksError(unknown, 'the server')
    try {
      await fetch([...bySealed.keys()], async ({id, bytes}) => {
        const plainId = bySealed.get(id)!
        const plain = openChunk(id, bytes, this.keys, `chunk ${plainId}`)
        if (sha256Hex(plain) !== plainId) throw new SealBrokenError(`chunk ${plainId}: the sealed chunk ${id} opens to other bytes`, {id: plainId})
        await take(plainId, plain)
      })
    } catch (error) {
      if (error instanceof MissingChunksError) throw new MissingChunksError(this.plainIds(error.ids), 'the server')
      throw error
    }
  }

  async flush(): Promise<void> {
    await this.map.flush()
  }
}

/** An entry without its file's ids (which would need its chunks opened to be told). */
function withoutIds(entry: JournalEntry): JournalEntry {
  if (entry.manifest?.kind !== 'file') return entry
  const {manifest: _manifest, ...rest} = entry
  return rest
}
