import {randomBytes as cryptoRandomBytes} from 'node:crypto'
import path from 'node:path'
import test from 'ava'
import {openEnv} from '#src/db/open-env.js'
import {IndexSegments} from '#src/store/index-segments.js'
import {tempDir} from '../helpers/temp.js'

/** `n` index entries with random ids (the locations do not matter here). */
const entries = (n: number) => cryptoRandomBytes(n * 52)

async function segmentsIn(t: Parameters<typeof tempDir>[0]): Promise<IndexSegments> {
  const env = openEnv(path.join(await tempDir(t), 'db'))
  t.teardown(() => env.close())
  return new IndexSegments(env)
}

test('more than 16 small segments: the 8 smallest are merged, nothing is lost', async (t) => {
  const segments = await segmentsIn(t)
  let total = 0
  for (let i = 0; i < 17; i++) {
    await segments.append(entries(100 + i))
    total += 100 + i
  }
  t.true(await segments.compact())
  t.is(segments.segmentCount(), 10)
  t.is(segments.load().index.size, total)
})

test('large segments (a large file flushed in batches) are left as they are', async (t) => {
  const segments = await segmentsIn(t)
  // Eight of them hold more than 256 Ki entries.
  for (let i = 0; i < 17; i++) await segments.append(entries(33_000))
  t.false(await segments.compact())
  t.is(segments.segmentCount(), 17)
  t.is(segments.load().index.size, 17 * 33_000)
})

test('a segment that is not a whole number of entries is E_CORRUPT', async (t) => {
  const segments = await segmentsIn(t)
  await segments.append(entries(3).subarray(1))
  t.throws(() => segments.load(), {message: /not a whole number of entries/})
})

test('a store records its format with its first write, and one of a newer format is refused with E_FORMAT', async (t) => {
  const env = openEnv(path.join(await tempDir(t), 'db'))
  t.teardown(() => env.close())
  const segments = new IndexSegments(env)
  const meta = env.openDB<number, string>({name: 'store-meta'})
  t.is(meta.get('format'), undefined)
  await segments.append(entries(2))
  t.is(meta.get('format'), 2)
  t.is(segments.load().index.size, 2)
  await env.transaction(() => meta.putSync('format', 3))
  t.throws(() => segments.load(), {
    code: 'E_FORMAT',
    message: /^the chunk store in .* was written by a newer version of sync \(format 3; this one reads up to 2\)/,
  })
})
