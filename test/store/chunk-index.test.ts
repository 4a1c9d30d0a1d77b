import test from 'ava'
import {sha256Key} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {ChunkIndex} from '#src/store/chunk-index.js'

test('finds what was added, through growth and rehashing, and nothing else', (t) => {
  const index = new ChunkIndex(4)
  const keys = Array.from({length: 20_000}, (_, i) => sha256Key(Buffer.from(`chunk ${i}`)))
  for (const [i, key] of keys.entries()) {
    t.is(index.find(key), -1)
    t.is(index.add(key, {pack: 1, blockOffset: i, blockLength: 10, offset: 0, length: 5}), i)
  }
  for (const [i, key] of keys.entries()) {
    const entry = index.find(key)
    t.is(entry, i)
    t.is(index.location(entry).blockOffset, i)
  }
  t.is(index.find(sha256Key(Buffer.from('never added'))), -1)
})

test('entries load from raw segments without duplicates', (t) => {
  const a = new ChunkIndex()
  const keys = Array.from({length: 100}, (_, i) => sha256Key(Buffer.from(`k${i}`)))
  for (const key of keys) a.add(key, {pack: 2, blockOffset: 1, blockLength: 1, offset: 0, length: 1})
  const b = new ChunkIndex()
  b.addEntries(a.view(0, 60))
  b.addEntries(a.view(40, 100))
  t.is(b.size, 100)
  for (const key of keys) t.not(b.find(key), -1)
})

test('ids that share their first four bytes are told apart', (t) => {
  const index = new ChunkIndex()
  const first = `${'\u0001\u0002\u0003\u0004'}${'a'.repeat(28)}`
  const second = `${'\u0001\u0002\u0003\u0004'}${'b'.repeat(28)}`
  index.add(first, {pack: 1, blockOffset: 0, blockLength: 1, offset: 0, length: 1})
  t.is(index.find(second), -1)
  index.add(second, {pack: 1, blockOffset: 7, blockLength: 1, offset: 0, length: 1})
  t.is(index.location(index.find(second)).blockOffset, 7)
  t.is(index.location(index.find(first)).blockOffset, 0)
})

test('entries across pages: found, placed and persisted in order, and loaded back the same', (t) => {
  const index = new ChunkIndex()
  const n = 150_000 // more than two pages of 65,536
  const keys = Array.from({length: n}, (_, i) => sha256Key(Buffer.from(`entry ${i}`)))
  for (const [i, key] of keys.entries()) index.add(key, {pack: 1, blockOffset: 0, blockLength: 0, offset: i, length: i % 100})
  index.placeBlock(60_000, 70_000, 3, 4096, 777, 8)
  const persisted = index.view(0, n)
  t.is(persisted.length, n * 52)
  for (const i of [0, 65_535, 65_536, 131_072, n - 1]) {
    t.is(persisted.toString('latin1', i * 52, i * 52 + 32), keys[i])
    t.is(persisted.readUInt32LE(i * 52 + 44), i >= 60_000 && i < 70_000 ? i + 8 : i, 'chunk offset of entry i')
  }
  t.deepEqual(index.location(index.find(keys[65_536])), {pack: 3, blockOffset: 4096, blockLength: 777, offset: 65_536 + 8, length: 36})
  t.deepEqual(index.location(index.find(keys[70_000])), {pack: 1, blockOffset: 0, blockLength: 0, offset: 70_000, length: 0})
  const loaded = new ChunkIndex()
  loaded.addEntries(persisted)
  t.is(loaded.size, n)
  for (const i of [0, 65_536, 99_999, n - 1]) t.deepEqual(loaded.location(loaded.find(keys[i])), index.location(index.find(keys[i])))
  t.true(loaded.view(0, n).equals(persisted))
})

test('ids given as words (an IdList) find and add the same entries as keys', (t) => {
  const index = new ChunkIndex()
  const keys = Array.from({length: 500}, (_, i) => sha256Key(Buffer.from(`w${i}`)))
  const list = new IdList()
  for (const key of keys) list.pushKey(key)
  const words = list.words
  for (let i = 0; i < 250; i++) index.add(keys[i], {pack: 1, blockOffset: i, blockLength: 1, offset: 0, length: 1})
  for (let i = 0; i < 500; i++) t.is(index.findId(words, i * 8), i < 250 ? i : -1)
  for (let i = 250; i < 500; i++) t.is(index.addId(words, i * 8, {pack: 2, blockOffset: i, blockLength: 1, offset: 0, length: 1}), i)
  for (let i = 0; i < 500; i++) t.is(index.location(index.find(keys[i])).blockOffset, i)
  t.is(index.keyOf(499), keys[499])
})

test('ids ground to share their first bytes (a hash flood) do not pile into one run of slots', (t) => {
  // A fixed seed: the same layout every run (linear probing's longest run at this load is a few dozen slots).
  const index = new ChunkIndex(1024, 0x5eed)
  const location = {pack: 1, blockOffset: 0, blockLength: 1, offset: 0, length: 1}
  // 5,000 ids alike in their first four bytes, as a client could make by grinding content: unseeded, their home
  // slots were one, and every lookup walked all of them.
  const keys = Array.from({length: 5000}, (_, i) => {
    const id = Buffer.alloc(32)
    id.write('flod', 0, 'latin1')
    id.writeUInt32BE(i, 4)
    id.writeUInt32BE(i * 7919, 8)
    return id.toString('latin1')
  })
  for (const key of keys) index.add(key, location)
  t.true(index.longestRun() < 200, `longest run of slots: ${index.longestRun()}`)
  for (const [i, key] of keys.entries()) t.is(index.find(key), i)
})
