import test from 'ava'
import {latin1Write} from '#src/util/latin1-write.js'
import {seededRandom} from '../helpers/random.js'

test("latin1Write writes what Buffer#write(…, 'latin1') writes: the same bytes, the same count, cut at the length", (t) => {
  t.is(typeof (Buffer.prototype as unknown as {latin1Write?: unknown}).latin1Write, 'function', 'this runtime has the fast path')
  const random = seededRandom(7)
  for (let i = 0; i < 500; i++) {
    const text = String.fromCharCode(...Array.from({length: Math.floor(random() * 40)}, () => Math.floor(random() * 256)))
    const offset = Math.floor(random() * 8)
    const length = Math.floor(random() * 48)
    const fast = Buffer.alloc(64, 0xee)
    const plain = Buffer.alloc(64, 0xee)
    t.is(latin1Write(fast, text, offset, length), plain.write(text, offset, length, 'latin1'))
    t.deepEqual(fast, plain)
  }
})
