import test from 'ava'
import {sha256Hex, sha256Key} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'

const ids = (n: number) => Array.from({length: n}, (_, i) => sha256Hex(Buffer.from(`line ${i}\n`)))

test('hex lines are the ids in hex, one per line, whatever range and buffer', (t) => {
  const hex = ids(1000)
  const list = IdList.fromHex(hex)
  t.is(list.hexLines().toString('latin1'), `${hex.join('\n')}\n`)
  t.is(list.hexLines(10, 13).toString('latin1'), `${hex.slice(10, 13).join('\n')}\n`)
  t.is(list.hexLines(5, 5).length, 0)
  const into = Buffer.alloc(65 * 100, 0x78)
  const lines = list.hexLines(900, 1000, into)
  t.is(lines.buffer, into.buffer, 'written into the buffer given')
  t.is(lines.toString('latin1'), `${hex.slice(900).join('\n')}\n`)
  // A buffer too small is not used.
  t.is(list.hexLines(0, 101, into).toString('latin1'), `${hex.slice(0, 101).join('\n')}\n`)
})

test('every byte value prints as its two digits, at even and odd places', (t) => {
  const bytes = Buffer.alloc(256 * 32)
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i + (i >> 8)) & 0xff
  const list = IdList.fromBuffer(bytes)
  t.is(list.hexLines().toString('latin1'), `${list.toHexArray().join('\n')}\n`)
})

test('words are the ids as eight 32-bit words each, also for a list wrapping an unaligned buffer', (t) => {
  const list = new IdList(2)
  for (let i = 0; i < 100; i++) list.pushKey(sha256Key(Buffer.from(`k${i}`)))
  const words = list.words
  t.true(words.length >= 100 * 8)
  t.true(Buffer.from(words.buffer, words.byteOffset, 100 * 32).equals(list.toBuffer()))

  const unaligned = Buffer.alloc(1 + 3 * 32)
  list.toBuffer().copy(unaligned, 1, 0, 3 * 32)
  const wrapped = IdList.fromBuffer(unaligned.subarray(1))
  const wrappedWords = wrapped.words
  t.is(wrappedWords.byteOffset % 4, 0)
  t.true(Buffer.from(wrappedWords.buffer, wrappedWords.byteOffset, 3 * 32).equals(list.toBuffer().subarray(0, 3 * 32)))
  t.deepEqual(wrapped.toHexArray(), list.toHexArray().slice(0, 3))
})

test('clear forgets the ids and keeps taking new ones', (t) => {
  const list = IdList.fromHex(ids(3))
  list.clear()
  t.is(list.length, 0)
  list.pushHex(ids(5)[4])
  t.deepEqual(list.toHexArray(), [ids(5)[4]])
})

test('a list over a given buffer writes into it; append and pushKeys add ids in order, growing when full', (t) => {
  const hex = ids(300)
  const keys = hex.map((id) => Buffer.from(id, 'hex').toString('latin1'))
  const memory = Buffer.alloc(32 * 100)
  const over = IdList.over(memory)
  t.is(over.capacity, 100)
  t.is(over.length, 0)
  over.pushKeys(keys.slice(0, 60).join(''))
  t.deepEqual(over.toHexArray(), hex.slice(0, 60))
  t.is(over.toBuffer().buffer, memory.buffer, 'written into the buffer given')
  const list = new IdList(2)
  list.append(over)
  list.append(IdList.fromHex(hex.slice(60, 250)))
  list.pushKeys(keys.slice(250).join(''))
  list.append(new IdList())
  t.deepEqual(list.toHexArray(), hex)
})

test('trim gives back the room a list grew into past its ids, keeping them; a little room stays', (t) => {
  const hex = ids(5000)
  const grown = IdList.fromHex(hex)
  t.true(grown.capacity >= 8192, 'grown by doubling')
  t.is(grown.trim().capacity, 5000)
  t.deepEqual(grown.toHexArray(), hex)
  grown.pushHex(hex[0])
  t.is(grown.hexAt(5000), hex[0], 'still takes ids')
  const small = IdList.fromHex(ids(100))
  const room = small.capacity
  t.is(small.trim().capacity, room, 'under 64 KiB of room: no copy')
})
