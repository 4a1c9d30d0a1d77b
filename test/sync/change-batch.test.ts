/** The daemon's batches of changed paths: early when the writes look done, after the debounce otherwise. */
import {appendFileSync, mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import test from 'ava'
import {ChangeBatch, type ChangeBatchOptions, SETTLED_MAX_BYTES} from '#src/sync/change-batch.js'
import {tempDir} from '../helpers/temp.js'

/** A batch over a temp folder; `next()` resolves with the next batch and the milliseconds since `started`. */
async function batchIn(t: Parameters<typeof tempDir>[0], debounceMs: number, deletionDebounceMs = debounceMs, asRecorded?: ChangeBatchOptions['asRecorded']) {
  const root = await tempDir(t)
  const batches: {paths: string[]; at: number}[] = []
  let wake = () => {}
  const batch = new ChangeBatch(root, {
    debounceMs,
    deletionDebounceMs,
    asRecorded,
    onBatch: (paths) => {
      batches.push({paths, at: performance.now()})
      wake()
    },
  })
  t.teardown(() => batch.cancel())
  const started = {at: 0}
  const next = async () => {
    if (batches.length === 0) await new Promise<void>((resolve) => (wake = resolve))
    const {paths, at} = batches.shift()!
    return {paths, ms: at - started.at}
  }
  const add = (...paths: string[]) => {
    started.at = performance.now()
    batch.add(paths)
  }
  return {root, add, next}
}

test('a small file written whole goes at once, long before the debounce ends', async (t) => {
  const {root, add, next} = await batchIn(t, 60_000)
  writeFileSync(path.join(root, 'Risotto.cook'), '>> servings: 5\nRice.\n')
  add('Risotto.cook')
  const {paths, ms} = await next()
  t.deepEqual(paths, ['Risotto.cook'])
  t.true(ms < 30_000, `${ms} ms`)
})

test('an empty file (truncated, its bytes perhaps not written yet) waits the whole debounce', async (t) => {
  const {root, add, next} = await batchIn(t, 300)
  writeFileSync(path.join(root, 'Risotto.cook'), '')
  add('Risotto.cook')
  const {paths, ms} = await next()
  t.deepEqual(paths, ['Risotto.cook'])
  t.true(ms >= 299, `${ms} ms`)
})

test('a file that changes again after its event waits the whole debounce', async (t) => {
  const {root, add, next} = await batchIn(t, 300)
  const file = path.join(root, 'Risotto.cook')
  writeFileSync(file, 'first half\n')
  add('Risotto.cook')
  // Written on before the check, with no event for it yet.
  appendFileSync(file, 'second half\n')
  const {ms} = await next()
  t.true(ms >= 299, `${ms} ms`)
})

test('a big file and a folder wait the debounce; a deletion waits the longer one', async (t) => {
  const {root, add, next} = await batchIn(t, 300, 600)
  writeFileSync(path.join(root, 'big.txt'), Buffer.alloc(SETTLED_MAX_BYTES + 1, 'a'))
  add('big.txt')
  t.true((await next()).ms >= 299)
  mkdirSync(path.join(root, 'Salads'))
  writeFileSync(path.join(root, 'Salads', 'Caprese.cook'), 'tomatoes\n')
  add('Salads')
  t.true((await next()).ms >= 299)
  add('gone.cook')
  t.true((await next()).ms >= 599)
})

test('paths reported within the quiet time go as one batch', async (t) => {
  const {root, add, next} = await batchIn(t, 300)
  writeFileSync(path.join(root, 'a.cook'), 'a\n')
  writeFileSync(path.join(root, 'b.cook'), '')
  add('a.cook')
  add('b.cook', 'a.cook')
  t.deepEqual((await next()).paths.sort(), ['a.cook', 'b.cook'])
})

test('a deletion told again while it waits (a daemon scan hands it back) does not hold its batch back; a new path does', async (t) => {
  const {add, next} = await batchIn(t, 50, 300)
  add('gone.cook')
  let batches = 0
  void next().then(() => batches++)
  // Told again every 150 ms for 900 ms: were each telling a new start of the quiet time, the batch would not go.
  for (let told = 0; told < 6 && batches === 0; told++) {
    await new Promise((resolve) => setTimeout(resolve, 150))
    add('gone.cook')
  }
  t.is(batches, 1)
  const {add: addMore, next: nextMore} = await batchIn(t, 50, 300)
  addMore('gone.cook')
  await new Promise((resolve) => setTimeout(resolve, 150))
  addMore('gone.cook', 'also-gone.cook')
  const {paths, ms} = await nextMore()
  t.deepEqual(paths.sort(), ['also-gone.cook', 'gone.cook'])
  t.true(ms >= 299, 'a path new to the batch starts the quiet time again')
})

test("paths as recorded (the daemon's own downloads) make no batch; a path already in the batch stays whatever its stat", async (t) => {
  // As recorded: the size the "state" holds for it (the daemon asks the folder state: scan/stat-cache.ts).
  const recorded = new Map<string, number>()
  const {root, add, next} = await batchIn(t, 200, 200, (relative, stat) => recorded.get(relative) === stat.size)
  writeFileSync(path.join(root, 'downloaded.cook'), 'from the other device\n')
  recorded.set('downloaded.cook', 'from the other device\n'.length)
  add('downloaded.cook')
  writeFileSync(path.join(root, 'edited.cook'), 'an edit\n')
  add('edited.cook', 'downloaded.cook')
  t.deepEqual((await next()).paths, ['edited.cook'])
  // Edited here since its download: not as recorded any more.
  writeFileSync(path.join(root, 'downloaded.cook'), 'edited after it came\n')
  add('downloaded.cook')
  t.deepEqual((await next()).paths, ['downloaded.cook'])
  // Told first while it differed, then as recorded: it stays in the batch.
  writeFileSync(path.join(root, 'late.cook'), 'being written\n')
  add('late.cook')
  recorded.set('late.cook', 'being written\n'.length)
  add('late.cook')
  t.deepEqual((await next()).paths, ['late.cook'])
})
