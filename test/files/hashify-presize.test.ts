/**
 * A file hashed again is given its previous version's ids per byte (hashify-file.ts, `previous`): its id list is
 * sized once, neither grown by doubling nor copied by the trim (a 1 GB text file: 21 MB of ids instead of 53 MB at
 * once). The scan passes the record it holds.
 */
import {readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {expectedIds, hashifyFile} from '#src/files/hashify-file.js'
import {loadIgnoreRules} from '#src/scan/ignore-rules.js'
import {scanFolder} from '#src/scan/scan-folder.js'
import {FolderState} from '#src/state/folder-state.js'
import {tempStore} from '../helpers/store.js'
import {tempDir} from '../helpers/temp.js'

/**
 * 120,000 distinct lines: 3.8 MB of ids, doubling from 64 ends at 4 MB of room; 2% more is 77 KB of room, more than
 * the trim's 64 KiB floor, under its 1/32 (so the fraction is what keeps it).
 */
const LINES = 120_000
const text = (salt: string) => Array.from({length: LINES}, (_, i) => `step ${i} of ${salt}: stir well\n`).join('')

test('sized from the previous version, a list is allocated once: room for 2% more ids, kept as it is', async (t) => {
  const {store} = await tempStore(t)
  const file = path.join(await tempDir(t), 'big.cook')
  await writeFile(file, text('the first'))
  const first = await hashifyFile(store, file)
  t.is(first.ids.capacity, first.ids.length, 'no estimate: grown by doubling, then trimmed to its ids')
  await writeFile(file, text('the other'))
  const second = await hashifyFile(store, file, {previous: {size: first.size, chunks: first.ids.length}})
  t.is(second.ids.length, LINES)
  t.is(second.ids.capacity, expectedIds(second.size, {size: first.size, chunks: first.ids.length}), 'the room asked for: no regrowth, no copy')
  t.true(second.ids.capacity <= second.ids.length * 1.05 + 64)
})

test('the estimate never asks for more than one id per byte, nor anything from an empty or bad previous version', (t) => {
  t.is(expectedIds(1000, {size: 10, chunks: 1_000_000}), 1001)
  t.is(expectedIds(1000, {size: 0, chunks: 5}), 0)
  t.is(expectedIds(1000, {size: 100, chunks: 0}), 0)
  t.is(expectedIds(0, {size: 100, chunks: 10}), 0)
  t.is(expectedIds(1000, undefined), 0)
})

test('a scan hashing an edited file sizes its list from the version it recorded', async (t) => {
  const folder = await tempDir(t)
  const {store, env} = await tempStore(t)
  const state = FolderState.load(env)
  const scan = async () => scanFolder(folder, store, state, {rules: await loadIgnoreRules(folder)})
  const file = path.join(folder, 'big.cook')
  await writeFile(file, text('the first'))
  await scan()
  const before = state.get('big.cook')!.local!
  await writeFile(file, (await readFile(file, 'utf8')) + 'one more line\n')
  t.deepEqual((await scan()).changed, ['big.cook'])
  const after = state.get('big.cook')!.local!.manifest
  if (after.kind !== 'file' || before.manifest.kind !== 'file') return t.fail('a file')
  t.is(after.ids.length, LINES + 1)
  t.is(after.ids.capacity, expectedIds(after.size, {size: before.size, chunks: before.manifest.ids.length}))
})

test('a scan hashing a moved file sizes its list from the record of the same inode (its new path has none)', async (t) => {
  const folder = await tempDir(t)
  const {store, env} = await tempStore(t)
  const state = FolderState.load(env)
  const scan = async () => scanFolder(folder, store, state, {rules: await loadIgnoreRules(folder)})
  await writeFile(path.join(folder, 'big.cook'), text('the first'))
  await scan()
  const before = state.get('big.cook')!.local!
  await rename(path.join(folder, 'big.cook'), path.join(folder, 'moved.cook'))
  t.deepEqual((await scan()).changed.sort(), ['big.cook', 'moved.cook'])
  const after = state.get('moved.cook')!.local!.manifest
  if (after.kind !== 'file' || before.manifest.kind !== 'file') return t.fail('a file')
  t.is(after.ids.length, LINES)
  t.is(after.ids.capacity, expectedIds(after.size, {size: before.size, chunks: before.manifest.ids.length}), 'sized once, not grown by doubling')
})

test('a new big file is sized from its first pieces: no doubling, no trim copy', async (t) => {
  const {store} = await tempStore(t)
  const file = path.join(await tempDir(t), 'new.cook')
  // 300,000 lines, about 9 MB: line ids at a steady rate, the estimate made after 4 MiB.
  const lines = Array.from({length: 300_000}, (_, i) => `step ${i}: stir well\n`).join('')
  await writeFile(file, lines)
  const hashed = await hashifyFile(store, file)
  t.true(hashed.ids.capacity > hashed.ids.length, 'kept as reserved, not trimmed')
  t.true(hashed.ids.capacity <= hashed.ids.length * 1.05 + 64, `room ${hashed.ids.capacity} for ${hashed.ids.length} ids`)
})
