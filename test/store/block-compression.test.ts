import zlib from 'node:zlib'
import test from 'ava'
import {CorruptDataError, TooLargeError} from '#src/errors/index.js'
import {BROTLI_TAG, compressBlock, decompressBlock, decompressBlockSync, inflateBounded, storedDeflate} from '#src/store/block-compression.js'
import {randomBytes} from '../helpers/random.js'
import {brotliBomb} from '../helpers/brotli-bomb.js'

const MAX = 1024 * 1024
const text = (lines: number) => Buffer.from('Add the @onion{1} and stir for ~{5%minutes}.\n'.repeat(lines))
const decompressors = [(data: Uint8Array) => decompressBlockSync(data, MAX), (data: Uint8Array) => decompressBlock(data, MAX)]

test('stored deflate blocks are plain raw deflate: zlib inflates them to the bytes, whatever their size', (t) => {
  for (const size of [0, 1, 4096, 65_535, 65_536, 65_537, 200_000]) {
    const bytes = randomBytes(size, size)
    const stored = Buffer.concat(storedDeflate(bytes))
    t.is(stored.length, size + 5 * Math.max(1, Math.ceil(size / 65_535)), `${size} bytes`)
    t.true(zlib.inflateRawSync(stored).equals(bytes), `${size} bytes`)
  }
})

test('random bytes are stored as deflate, text is brotli behind its tag; both decompress to the block', async (t) => {
  const random = randomBytes(70_000, 1)
  const storedParts = await compressBlock(random)
  // Views of the block, not copies.
  t.true(storedParts.some((part) => part.buffer === random.buffer && part.length > 60_000))
  const storedBlock = Buffer.concat(storedParts)
  t.is(storedBlock.length, random.length + 10)
  t.true(zlib.inflateRawSync(storedBlock).equals(random), 'any version of the reader reads it')
  // Compressed on the thread pool (large) and on the calling thread (a few lines).
  for (const plain of [text(1500), text(30)]) {
    const compressed = Buffer.concat(await compressBlock(plain))
    t.is(compressed[0], BROTLI_TAG)
    t.true(compressed.length < plain.length / 2)
    t.true(zlib.brotliDecompressSync(compressed.subarray(1)).equals(plain))
    for (const decompress of [...decompressors, ...decompressors]) t.true((await decompress(compressed)).equals(plain))
  }
  for (const decompress of decompressors) t.true((await decompress(storedBlock)).equals(random))
})

test('blocks deflated by the code before brotli (level 1, raw) still decompress', async (t) => {
  const plain = text(1500)
  for (const decompress of decompressors) t.true((await decompress(zlib.deflateRawSync(plain, {level: 1}))).equals(plain))
})

test('no deflate stream starts with the brotli tag: its block type bits are the reserved 11', (t) => {
  t.is((BROTLI_TAG >> 1) & 0b11, 0b11)
  t.throws(() => zlib.inflateRawSync(Buffer.from([BROTLI_TAG, 0, 0, 0])))
})

test('a corrupt brotli block, a truncated one and an unknown codec tag are CorruptDataError', async (t) => {
  const compressed = Buffer.concat(await compressBlock(text(1500)))
  const flipped = Buffer.from(compressed)
  flipped[20] ^= 0xff
  const truncated = compressed.subarray(0, compressed.length >> 1)
  const unknownTag = Buffer.from(compressed)
  unknownTag[0] = (2 << 3) | 0b110
  for (const bad of [flipped, truncated, unknownTag, Buffer.from([BROTLI_TAG])]) {
    for (const decompress of decompressors) await t.throwsAsync(async () => decompress(bad), {instanceOf: CorruptDataError})
  }
})

test('a brotli bomb stops at the limit: TooLargeError, not an allocation', async (t) => {
  // 300 MB of zeros in a few kilobytes.
  const bomb = Buffer.concat([Buffer.from([BROTLI_TAG]), brotliBomb(300 * 1024 * 1024)])
  t.true(bomb.length < 64 * 1024)
  for (const decompress of decompressors) {
    const error = await t.throwsAsync(async () => decompress(bomb), {instanceOf: TooLargeError})
    t.is(error?.limit, MAX)
  }
})

test('wire packs are raw deflate only: a brotli-tagged body does not inflate', async (t) => {
  const compressed = Buffer.concat(await compressBlock(text(1500)))
  await t.throwsAsync(inflateBounded(compressed, MAX), {instanceOf: CorruptDataError})
  t.true((await inflateBounded(zlib.deflateRawSync(text(10)), MAX)).equals(text(10)))
})
