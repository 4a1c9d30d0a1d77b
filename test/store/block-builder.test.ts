import test from 'ava'
import {decodeBlock} from '#src/store/block.js'
import {BlockBuilder} from '#src/store/block-builder.js'
import {randomBytes} from '../helpers/random.js'

function chunksOf(plain: Buffer): Buffer[] {
  const block = decodeBlock(plain)
  return Array.from({length: block.count}, (_, i) => plain.subarray(block.offsets[i], block.offsets[i] + block.lengths[i]))
}

test('blocks decode to their chunks, from a reused buffer and past the room for a header', (t) => {
  const builder = new BlockBuilder()
  const first = [Buffer.from('a\n'), randomBytes(70_000, 1), Buffer.from('b\n')]
  for (const chunk of first) builder.add(chunk, 0, chunk.length)
  const a = builder.build().plain
  t.deepEqual(chunksOf(a), first)
  builder.recycle(a)
  // The block being built took a buffer when `a` was built; the one after it takes `a`'s.
  builder.add(Buffer.from('c\n'), 0, 2)
  t.not(builder.build().plain.buffer, a.buffer)
  const third = [Buffer.from('d\n'), Buffer.from('e\n')]
  for (const chunk of third) builder.add(chunk, 0, chunk.length)
  const c = builder.build().plain
  t.is(c.buffer, a.buffer)
  t.deepEqual(chunksOf(c), third)
  // 5,000 one-byte chunks: a header larger than the room kept for it.
  const tiny = Array.from({length: 5000}, (_, i) => Buffer.from([i & 0xff]))
  for (const chunk of tiny) builder.add(chunk, 0, chunk.length)
  const {plain, header} = builder.build()
  t.is(header, 8 + 4 * 5000)
  t.deepEqual(chunksOf(plain), tiny)
})
