import zlib from 'node:zlib'
import test from 'ava'
import {acceptsBodyEncoding, compressBody, COMPRESS_FROM_BYTES, decompressBody} from '#src/protocol/content-encoding.js'
import {randomBytes} from '../helpers/random.js'

const json = (lines: number) =>
  Buffer.from(JSON.stringify({inlineText: Array.from({length: lines}, (_, i) => `Stir in @butter{${i % 7}%g} and wait ${i % 5} minutes.\n`)}))

test('a JSON body that pays is compressed and comes back byte for byte', async (t) => {
  const raw = json(500)
  const compressed = await compressBody(raw)
  if (!compressed) return void t.fail('not compressed')
  t.true(compressed.length < raw.length / 4, `${compressed.length} of ${raw.length}`)
  t.deepEqual(await decompressBody(compressed, 'br', raw.length, 'the body'), raw)
})

test('a body that does not pay goes as it is: small, or incompressible', async (t) => {
  t.is(await compressBody(json(1).subarray(0, COMPRESS_FROM_BYTES - 1)), undefined)
  t.is(await compressBody(randomBytes(8192, 3)), undefined)
})

test('no encoding or identity is the body as it came', async (t) => {
  const raw = json(3)
  t.is(await decompressBody(raw, undefined, 10, 'the body'), raw)
  t.is(await decompressBody(raw, ' Identity', 10, 'the body'), raw)
})

test('a decompression bomb stops at the limit: E_TOO_LARGE, not an allocation', async (t) => {
  const bomb = zlib.brotliCompressSync(Buffer.alloc(64 * 1024 * 1024))
  t.true(bomb.length < 1024)
  const error = await t.throwsAsync(decompressBody(bomb, 'br', 1024 * 1024, 'the request body'))
  t.like(error, {code: 'E_TOO_LARGE', message: 'the request body (decompressed) is over the limit of 1048576 bytes'})
})

test('an unknown encoding or bytes that do not decompress are E_INVALID_INPUT', async (t) => {
  const raw = json(100)
  t.like(await t.throwsAsync(decompressBody(zlib.gzipSync(raw), 'gzip', 1 << 20, 'the body')), {code: 'E_INVALID_INPUT'})
  t.like(await t.throwsAsync(decompressBody(randomBytes(4096, 7), 'br', 1 << 20, 'the body')), {code: 'E_INVALID_INPUT'})
})

test('Accept-Encoding: br is taken unless its q is 0', (t) => {
  t.true(acceptsBodyEncoding('br'))
  t.true(acceptsBodyEncoding('gzip, BR;q=0.5'))
  t.false(acceptsBodyEncoding('gzip, deflate'))
  t.false(acceptsBodyEncoding('br;q=0'))
  t.false(acceptsBodyEncoding(undefined))
})
