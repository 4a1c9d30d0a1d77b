import test from 'ava'
import {sha256Key} from '../../src/chunk/hash.js'
import {ChunkIndex} from '../../src/store/chunk-index.js'

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
