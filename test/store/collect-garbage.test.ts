/**
 * Garbage collection's dry run (src/store/collect-garbage.ts) on a real store: it reads the store's own view when
 * every entry of it is persisted (no second copy of the index), a snapshot when some are not, and plans what the
 * run then does.
 */
import test from 'ava'
import {collectGarbage, type CollectHooks} from '#src/store/collect-garbage.js'
import {Marks} from '#src/store/gc-marks.js'
import {listPacks, packUsage} from '#src/store/pack-usage.js'
import {tempStore} from '../helpers/store.js'

const lines = (n: number, salt: string) => Array.from({length: n}, (_, i) => Buffer.from(`line ${i} ${salt}\n`))
const OPTIONS = {graceMs: 0, rewriteBelow: 0.5}

function keeping(ids: readonly string[]): CollectHooks {
  return {
    mark: async (marks) => {
      for (const id of ids) marks.markHex(id)
    },
    exclusive: (work) => work(),
    markLate: async () => {},
  }
}

test('a dry run reads the store’s own view once all of it is persisted, a snapshot before; it plans what the run does', async (t) => {
  const {store, packs} = await tempStore(t)
  const kept = lines(3000, 'kept').map((chunk) => store.add(chunk))
  await store.flush()
  await store.closePack()
  lines(2000, 'gone').forEach((chunk) => store.add(chunk))
  await store.flush()
  t.is(store.readOnlySnapshot(), store.readOnlySnapshot(), 'the view itself, not a copy')
  t.not(store.snapshot(), store.snapshot())

  store.add(Buffer.from('not flushed yet\n'))
  const before = store.readOnlySnapshot()
  t.not(before, store.readOnlySnapshot(), 'a snapshot while an entry waits to be persisted')
  t.is(before.size, 5000, 'the persisted entries alone')
  await store.flush()

  const files = await listPacks(packs)
  const dry = await collectGarbage(store, keeping(kept), {...OPTIONS, dryRun: true})
  t.deepEqual(await listPacks(packs), files, 'a dry run changes nothing')
  t.like(dry, {chunks: 5001, liveChunks: 3000, deletedPacks: 1, rewrittenPacks: 0})
  const run = await collectGarbage(store, keeping(kept), OPTIONS)
  t.like(run, {chunks: dry.chunks, liveChunks: dry.liveChunks, liveBytes: dry.liveBytes, deletedPacks: 1})
  t.deepEqual(store.missing(kept), [])
})

test('entries a store adds to its view after marking began are not counted', async (t) => {
  const {store} = await tempStore(t)
  lines(100, 'first').forEach((chunk) => store.add(chunk))
  await store.flush()
  const view = store.readOnlySnapshot()
  const marks = new Marks(view)
  const counted = () => [...packUsage(view, marks).values()].reduce((sum, pack) => sum + pack.chunkBytes, 0)
  const bytes = counted()
  store.add(Buffer.from('added while marking\n'))
  t.is(view.size, 101, 'the view grew')
  t.is(counted(), bytes)
  t.is(marks.entries, 100)
})
