import zlib from 'node:zlib'
import test from 'ava'
import {acceptsBodyEncoding, compressBody, COMPRESS_FROM_BYTES, decompressBody, type WorkOn} from '#src/protocol/content-encoding.js'
import {randomBytes} from '../helpers/random.js'
import {brotliBomb} from '../helpers/brotli-bomb.js'

const json = (lines: number) =>
  Buffer.from(JSON.stringify({inlineText: Array.from({length: lines}, (_, i) => `Stir in @butter{${i % 7}%g} and wait ${i % 5} minutes.\n`)}))

// The server works on libuv's pool, a client on its own thread: the same bytes and the same errors either way.
for (const worker of ['pool', 'here'] as WorkOn[]) {
  test(`${worker}: a JSON body that pays is compressed and comes back byte for byte`, async (t) => {
    const raw = json(500)
    const compressed = await compressBody(raw, worker)
    if (!compressed) return void t.fail('not compressed')
    t.true(compressed.length < raw.length / 4, `${compressed.length} of ${raw.length}`)
    t.deepEqual(await decompressBody(compressed, 'br', raw.length, 'the body', worker), raw)
    t.deepEqual(compressed, await compressBody(raw, worker === 'pool' ? 'here' : 'pool'), 'the same bytes on either')
  })

  test(`${worker}: a body that does not pay goes as it is: small, or incompressible`, async (t) => {
    t.is(await compressBody(json(1).subarray(0, COMPRESS_FROM_BYTES - 1), worker), undefined)
    t.is(await compressBody(randomBytes(8192, 3), worker), undefined)
  })

  test(`${worker}: no encoding or identity is the body as it came`, async (t) => {
    const raw = json(3)
    t.is(await decompressBody(raw, undefined, 10, 'the body', worker), raw)
    t.is(await decompressBody(raw, ' Identity', 10, 'the body', worker), raw)
  })

  test(`${worker}: a decompression bomb stops at the limit: E_TOO_LARGE, not an allocation`, async (t) => {
    const bomb = brotliBomb(64 * 1024 * 1024)
    t.true(bomb.length < 1024)
    const error = await t.throwsAsync(decompressBody(bomb, 'br', 1024 * 1024, 'the request body', worker))
    t.like(error, {code: 'E_TOO_LARGE', message: 'the request body (decompressed) is over the limit of 1048576 bytes'})
  })

  test(`${worker}: an unknown encoding or bytes that do not decompress are E_INVALID_INPUT`, async (t) => {
    const raw = json(100)
    t.like(await t.throwsAsync(decompressBody(zlib.gzipSync(raw), 'gzip', 1 << 20, 'the body', worker)), {code: 'E_INVALID_INPUT'})
    t.like(await t.throwsAsync(decompressBody(randomBytes(4096, 7), 'br', 1 << 20, 'the body', worker)), {code: 'E_INVALID_INPUT'})
  })
}

test('Accept-Encoding: br is taken unless its q is 0', (t) => {
  t.true(acceptsBodyEncoding('br'))
  t.true(acceptsBodyEncoding('gzip, BR;q=0.5'))
  t.false(acceptsBodyEncoding('gzip, deflate'))
  t.false(acceptsBodyEncoding('br;q=0'))
  t.false(acceptsBodyEncoding(undefined))
})
