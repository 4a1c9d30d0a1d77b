import test from 'ava'
import {sha256Key} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {IdSet} from '#src/chunk/id-set.js'

const key = (i: number) => sha256Key(Buffer.from(`line ${i}\n`))
const listOf = (from: number, to: number) => {
  const list = new IdList()
  for (let i = from; i < to; i++) list.pushKey(key(i))
  return list
}

test('holds the ids of every list given, repeats and all, and nothing else', (t) => {
  const a = listOf(0, 3000)
  const b = listOf(2000, 5000)
  b.append(listOf(0, 10))
  const set = new IdSet([a, b, new IdList()], 7)
  t.is(set.size, 5000, 'each distinct id once')
  for (let i = 0; i < 5000; i++) t.true(set.hasKey(key(i)), `id ${i}`)
  for (let i = 5000; i < 6000; i++) t.false(set.hasKey(key(i)), `id ${i}`)
  const probe = listOf(4990, 5010)
  t.deepEqual(
    Array.from({length: probe.length}, (_, i) => set.hasAt(probe, i)),
    Array.from({length: 20}, (_, i) => i < 10),
  )
})

test('ids added one by one join the lists; adding one already there says so', (t) => {
  const set = new IdSet([listOf(0, 100)], 7)
  t.false(set.addKey(key(50)))
  for (let i = 100; i < 5000; i++) t.true(set.addKey(key(i)), `id ${i}`)
  t.false(set.addKey(key(4000)))
  t.is(set.size, 5000)
  for (let i = 0; i < 5000; i++) t.true(set.hasKey(key(i)))
  t.false(set.hasKey(key(5000)))
})

test('ids alike in their first words are still told apart (whole ids compared, not prefixes)', (t) => {
  // Crafted: equal in their first 28 bytes, as a writer grinding ids could make them; they differ in the last word.
  const list = new IdList()
  const id = Buffer.alloc(32, 0xab)
  for (let i = 0; i < 2000; i++) {
    id.writeUInt32BE(i, 28)
    list.pushKey(id.toString('latin1'))
  }
  const set = new IdSet([list])
  t.is(set.size, 2000)
  id.writeUInt32BE(2000, 28)
  t.false(set.hasKey(id.toString('latin1')))
  id.writeUInt32BE(1999, 28)
  t.true(set.hasKey(id.toString('latin1')))
})
