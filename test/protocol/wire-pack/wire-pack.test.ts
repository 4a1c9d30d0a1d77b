import zlib from 'node:zlib'
import test from 'ava'
import {fc} from '../../helpers/fast-check-seed.js'
import tar from 'tar-stream'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {decodePack} from '#src/protocol/wire-pack/decode.js'
import {encodePack, runsOf} from '#src/protocol/wire-pack/encode.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import {BlockBuilder} from '#src/store/block-builder.js'
import {randomBytes} from '../../helpers/random.js'

const chunk = (text: string | Buffer): PackChunk => {
  const bytes = Buffer.from(text)
  return {id: sha256Hex(bytes), bytes}
}
const lines = (n: number, seed = 1) => Array.from({length: n}, (_, i) => chunk(`line ${i} of recipe ${seed}: stir @rice{300%g} for ~{${i % 60}%minutes}\n`))

/** Names and sizes of the tar entries inside a pack. */
async function entriesOf(pack: Buffer): Promise<{name: string; size: number}[]> {
  const extract = tar.extract()
  extract.end(zlib.inflateRawSync(pack))
  const entries: {name: string; size: number}[] = []
  for await (const entry of extract) {
    entries.push({name: entry.header.name, size: entry.header.size})
    entry.resume()
  }
  return entries
}

/** A pack made by hand: tar entries as given, deflated. */
async function handmade(entries: {name: string; data?: Buffer; type?: 'file' | 'directory'; pax?: Record<string, string>}[]): Promise<Buffer> {
  const archive = tar.pack()
  for (const entry of entries)
    archive.entry({name: entry.name, type: entry.type ?? 'file', pax: entry.pax, size: entry.data?.length ?? 0}, entry.data ?? Buffer.alloc(0))
  archive.finalize()
  const parts: Buffer[] = []
  for await (const part of archive) parts.push(part as Buffer)
  return zlib.deflateRawSync(Buffer.concat(parts))
}

function block(chunks: PackChunk[], withIds = true): Buffer {
  const builder = new BlockBuilder()
  for (const c of chunks) builder.add(c.bytes, 0, c.bytes.length)
  return builder.build(withIds ? IdList.fromHex(chunks.map((c) => c.id)).toBuffer() : undefined).plain
}

const codeOf = async (pack: Buffer, limits?: Parameters<typeof decodePack>[1]) => ((await caught(() => decodePack(pack, limits))) as {code?: string})?.code
async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work()
    return undefined
  } catch (error) {
    return error
  }
}

test('a pack round-trips its chunks, in order, text and binary', async (t) => {
  const chunks = [...lines(3000), chunk(randomBytes(60_000, 7)), chunk(''), chunk(randomBytes(1_000_000, 8))]
  const decoded = await decodePack(await encodePack(chunks))
  t.is(decoded.length, chunks.length)
  t.deepEqual(
    decoded.map((c) => c.id),
    chunks.map((c) => c.id),
  )
  t.true(decoded.every((c, i) => c.bytes.equals(chunks[i].bytes)))
})

test('bytes that do not compress are stored, text between them still deflated: one stream, the same chunks', async (t) => {
  const photo = (seed: number) => chunk(randomBytes(300_000, seed))
  const text = lines(3000, 2)
  const textBytes = text.reduce((n, c) => n + c.bytes.length, 0)
  // Text alone: one run, the bytes level 1 makes of the whole archive (as before runs).
  const textPack = await encodePack(text)
  t.deepEqual(textPack, zlib.deflateRawSync(zlib.inflateRawSync(textPack), {level: 1}))
  t.true(textPack.length < textBytes * 0.7, `deflated, ids and all: ${textPack.length} of ${textBytes}`)
  // Photos, text, a photo: stored runs around a deflated one, joined into one stream.
  const mixed = [photo(11), photo(12), ...text, photo(13)]
  const pack = await encodePack(mixed)
  const archive = zlib.inflateRawSync(pack)
  const level1 = zlib.deflateRawSync(archive, {level: 1})
  t.true(pack.length < 3 * 300_000 + textPack.length + 4096, `the text is deflated: ${pack.length}`)
  t.true(Math.abs(pack.length - level1.length) < 4096, `about what level 1 made of it all: ${pack.length} against ${level1.length}`)
  const decoded = await decodePack(pack)
  t.deepEqual(
    decoded.map((c) => c.id),
    mixed.map((c) => c.id),
  )
  // Photos alone are stored, not deflated for nothing: not what level 1 makes of their archive (one run, as text
  // alone is), and within 1% of its size (their tar and block headers go stored too).
  const photos = await encodePack([photo(14), photo(15), photo(16)])
  const photosLevel1 = zlib.deflateRawSync(zlib.inflateRawSync(photos), {level: 1})
  t.notDeepEqual(photos, photosLevel1)
  t.true(photos.length < photosLevel1.length * 1.01, `${photos.length} against ${photosLevel1.length}`)
})

test('runs: blocks alike together, each with its tar header and padding, the archive end deflated', (t) => {
  const runs = runsOf(
    [
      {size: 1000, stored: true},
      {size: 512, stored: true},
      {size: 70_000, stored: false},
    ],
    // Headers and data padded to 512: 512 + 1024, 512 + 512, 512 + 70,144; then the archive's end.
    1536 + 1024 + 70_656 + 1024,
  )
  t.deepEqual(runs, [
    {stored: true, start: 0, end: 2560},
    {stored: false, start: 2560, end: 2560 + 70_656 + 1024},
  ])
  t.deepEqual(runsOf([{size: 10_000, stored: true}], 4096), [{stored: false, start: 0, end: 4096}], 'a layout not as tar writes it: one deflated run')
})

test('a pack without ids round-trips: each chunk gets the id its bytes hash to, at well under half the bytes for lines', async (t) => {
  const chunks = [...lines(3000), chunk(randomBytes(60_000, 9)), chunk('')]
  const withoutIds = await encodePack(chunks, {ids: false})
  const decoded = await decodePack(withoutIds)
  t.deepEqual(
    decoded.map((c) => c.id),
    chunks.map((c) => c.id),
  )
  t.true(decoded.every((c, i) => c.bytes.equals(chunks[i].bytes)))
  const textOnly = lines(3000)
  const [smaller, larger] = [await encodePack(textOnly, {ids: false}), await encodePack(textOnly)]
  t.true(smaller.length < larger.length / 2, `${smaller.length} bytes without ids, ${larger.length} with`)
})

test('a block without ids holds what its bytes are: altered bytes are other chunks, never the ids they replaced', async (t) => {
  const chunks = lines(3)
  const data = block(chunks, false)
  // The last chunk's last byte changed: the pack is read, and that chunk's id is the altered bytes' hash.
  data[data.length - 1] ^= 1
  const decoded = await decodePack(await handmade([{name: '00000000.blk', data}]))
  t.deepEqual(
    decoded.slice(0, 2).map((c) => c.id),
    chunks.slice(0, 2).map((c) => c.id),
  )
  t.not(decoded[2].id, chunks[2].id)
  t.is(decoded[2].id, sha256Hex(decoded[2].bytes))
})

test('chunks are grouped into blocks of about 64 KiB: one tar entry per block, not per chunk', async (t) => {
  const chunks = lines(5000)
  const total = chunks.reduce((n, c) => n + c.bytes.length, 0)
  const entries = await entriesOf(await encodePack(chunks))
  t.is(entries.length, Math.ceil(total / (64 * 1024)))
  t.deepEqual(
    entries.map((e) => e.name),
    entries.map((_, i) => `${String(i).padStart(8, '0')}.blk`),
  )
})

test('a one-chunk pack costs under 200 bytes; an empty pack decodes to nothing', async (t) => {
  const one = await encodePack([chunk('Add @salt{1%tsp}.\n')])
  t.true(one.length < 200, `${one.length} bytes`)
  t.deepEqual(await decodePack(await encodePack([])), [])
})

test('a chunk that does not match its id fails the whole pack, naming it', async (t) => {
  const good = lines(3)
  const liar = {id: sha256Hex(Buffer.from('what it claims')), bytes: Buffer.from('what it holds')}
  const pack = await handmade([{name: '00000000.blk', data: block([...good, liar])}])
  const error = (await caught(() => decodePack(pack))) as {code: string; ids: string[]}
  t.is(error.code, 'E_CHUNK_MISMATCH')
  t.deepEqual(error.ids, [liar.id])
})

test('truncated or foreign bytes are E_BAD_PACK', async (t) => {
  const pack = await encodePack(lines(2000))
  for (const cut of [1, 10, 100, Math.floor(pack.length / 2), pack.length - 1]) t.is(await codeOf(pack.subarray(0, cut)), 'E_BAD_PACK', `cut at ${cut}`)
  t.is(await codeOf(Buffer.from('not a pack at all')), 'E_BAD_PACK')
  t.is(await codeOf(Buffer.alloc(0)), 'E_BAD_PACK')
  // A valid deflate stream of bytes that are not a tar archive.
  t.is(await codeOf(zlib.deflateRawSync(randomBytes(5000, 3))), 'E_BAD_PACK')
})

test('entries must be the next NNNNNNNN.blk, plain files, without pax headers', async (t) => {
  const data = block(lines(2))
  t.is(await codeOf(await handmade([{name: '../../etc/passwd', data}])), 'E_BAD_PACK')
  t.is(await codeOf(await handmade([{name: '00000001.blk', data}])), 'E_BAD_PACK')
  t.is(
    await codeOf(
      await handmade([
        {name: '00000000.blk', data},
        {name: '00000000.blk', data},
      ]),
    ),
    'E_BAD_PACK',
  )
  t.is(await codeOf(await handmade([{name: '00000000.blk', type: 'directory'}])), 'E_BAD_PACK')
  t.is(await codeOf(await handmade([{name: '00000000.blk', data, pax: {comment: 'x'}}])), 'E_BAD_PACK')
  t.deepEqual((await decodePack(await handmade([{name: '00000000.blk', data}]))).length, 2)
})

test('blocks whose header lies, or without chunks, are E_BAD_PACK', async (t) => {
  const good = block(lines(3))
  const tooMany = Buffer.from(good)
  tooMany.writeUInt32LE(1_000_000, 0)
  const longer = Buffer.from(good)
  longer.writeUInt32LE(good.readUInt32LE(8 + 3 * 32) + 1, 8 + 3 * 32)
  const cases = [
    ['count', tooMany],
    ['lengths', longer],
    ['short', good.subarray(0, 4)],
    ['no chunks', block([])],
  ] as const
  for (const [what, data] of cases) {
    t.is(await codeOf(await handmade([{name: '00000000.blk', data}])), 'E_BAD_PACK', what)
  }
})

test('size limits: compressed bytes, inflated bytes (a deflate bomb stops at the limit)', async (t) => {
  const pack = await encodePack(lines(5000))
  t.is(await codeOf(pack, {maxCompressed: pack.length - 1, maxInflated: 1 << 30}), 'E_TOO_LARGE')
  t.is(await codeOf(pack, {maxCompressed: 1 << 30, maxInflated: 64 * 1024}), 'E_TOO_LARGE')
  // 300 MiB of zeros deflate to about 300 KB: with the default limits, refused without inflating it all.
  const bomb = zlib.deflateRawSync(Buffer.alloc(300 * 1024 * 1024), {level: 9})
  t.true(bomb.length < 1024 * 1024)
  t.is(await codeOf(bomb), 'E_TOO_LARGE')
})

test('any bytes at all are a pack or a typed error', async (t) => {
  const sample = await encodePack(lines(20))
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({maxLength: 600}), fc.nat(sample.length - 1), fc.nat(255), async (noise, at, flip) => {
      for (const input of [Buffer.from(noise), Buffer.from(sample).fill(flip, at, at + 1)]) {
        const error = await caught(() => decodePack(input))
        if (error !== undefined && !['E_BAD_PACK', 'E_CHUNK_MISMATCH', 'E_TOO_LARGE'].includes((error as {code?: string}).code ?? '')) return false
      }
      return true
    }),
    {seed: 7, numRuns: 300},
  )
  t.pass()
})
