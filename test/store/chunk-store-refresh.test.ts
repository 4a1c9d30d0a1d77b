/**
 * ChunkStore.refresh catches up with other writers of the store in place (index-segments.ts, loadNewer): the
 * segments persisted since its view was read are added to the index it holds, whatever merges ran meanwhile; after
 * garbage collection rewrote the index, the view is loaded anew and forgets the chunks collected.
 */
import test from 'ava'
import type {ChunkIndex} from '#src/store/chunk-index.js'
import {ChunkStore} from '#src/store/chunk-store.js'
import {openStoreIn, tempStore} from '../helpers/store.js'

const lines = (n: number, salt: string) => Array.from({length: n}, (_, i) => Buffer.from(`line ${i} ${salt}\n`))

/** The index the store holds (private): refresh must add to it, not build another beside it. */
const indexOf = (store: ChunkStore) => Reflect.get(store, 'loaded') as ChunkIndex | undefined

test('refresh adds what another writer flushed to the index it holds, across merges of segments it had read', async (t) => {
  const writer = await tempStore(t)
  const ids: string[] = []
  const round = async (r: number) => {
    for (const line of lines(20, `round ${r}`)) ids.push(writer.store.add(line))
    await writer.store.flush()
  }
  for (let r = 0; r < 10; r++) await round(r)
  const reader = await openStoreIn(t, writer.dir)
  t.deepEqual(reader.store.missing(ids), [], 'loaded with the first ten segments')
  const held = indexOf(reader.store)
  // 30 more flushes: past 16 segments the writer merges the smallest, the reader's among them.
  for (let r = 10; r < 40; r++) await round(r)
  t.deepEqual(reader.store.missing(ids), [], 'every chunk, those of merged segments too')
  t.is(reader.store.chunkCount, ids.length, 'each once')
  t.is(indexOf(reader.store), held, 'the same index, grown in place')
  t.is((await reader.store.read(ids.at(-1)!)).toString(), 'line 19 round 39\n')
  // The reader's own chunks after catching up: flushed, readable by the writer, and the reader still sees both.
  const own = reader.store.add(Buffer.from('the reader writes too\n'))
  await reader.store.flush()
  for (const line of lines(5, 'after')) ids.push(writer.store.add(line))
  await writer.store.flush()
  t.deepEqual(reader.store.missing([...ids, own]), [])
  t.deepEqual(writer.store.missing([own]), [])
})

test('after another process rewrote the index (garbage collection), refresh loads it anew: collected chunks are gone', async (t) => {
  const writer = await tempStore(t)
  const ids = lines(50, 'collected').map((line) => writer.store.add(line))
  await writer.store.flush()
  const reader = await openStoreIn(t, writer.dir)
  t.deepEqual(reader.store.missing(ids), [])
  // Keeps the first entry only, as a sweep that found the rest unreferenced would.
  await writer.store.switchIndex((current) => Buffer.from(current.view(0, 1)))
  const kept = writer.store.snapshot().idOf(0)
  t.deepEqual(
    reader.store.missing(ids),
    ids.filter((id) => id !== kept),
  )
  t.is(reader.store.chunkCount, 1)
})
