import zlib from 'node:zlib'
import test from 'ava'
import {compressBlock, storedDeflate} from '#src/store/block-compression.js'
import {randomBytes} from '../helpers/random.js'

test('stored deflate blocks are plain raw deflate: zlib inflates them to the bytes, whatever their size', (t) => {
  for (const size of [0, 1, 4096, 65_535, 65_536, 65_537, 200_000]) {
    const bytes = randomBytes(size, size)
    const stored = Buffer.concat(storedDeflate(bytes))
    t.is(stored.length, size + 5 * Math.max(1, Math.ceil(size / 65_535)), `${size} bytes`)
    t.true(zlib.inflateRawSync(stored).equals(bytes), `${size} bytes`)
  }
})

test('random bytes are stored, text is compressed; both inflate to the block', async (t) => {
  const random = randomBytes(70_000, 1)
  const storedParts = await compressBlock(random)
  // Views of the block, not copies.
  t.true(storedParts.some((part) => part.buffer === random.buffer && part.length > 60_000))
  const storedBlock = Buffer.concat(storedParts)
  t.is(storedBlock.length, random.length + 10)
  t.true(zlib.inflateRawSync(storedBlock).equals(random))
  const text = Buffer.from('Add the @onion{1} and stir for ~{5%minutes}.\n'.repeat(1500))
  const compressed = Buffer.concat(await compressBlock(text))
  t.true(compressed.length < text.length / 10)
  t.true(zlib.inflateRawSync(compressed).equals(text))
})
