import {mkdir, open, readdir, readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import tar from 'tar-stream'
import {hexToKey, sha256Hex, sha256Key} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import type {Piece} from '#src/chunk/piece-hasher.js'
import {openEnv} from '#src/db/open-env.js'
import {CorruptDataError, MissingChunksError, TooLargeError} from '#src/errors/index.js'
import {decodeBlock} from '#src/store/block.js'
import {decompressBlockSync} from '#src/store/block-compression.js'
import {ChunkStore} from '#src/store/chunk-store.js'
import {fsckStore} from '#src/store/fsck.js'
import {MAX_BLOCK_PLAIN_BYTES, MAX_CHUNK_BYTES} from '#src/store/limits.js'
import {randomBytes} from '../helpers/random.js'
import {tempStore} from '../helpers/store.js'
import {tempDir} from '../helpers/temp.js'

const lines = (n: number, salt = '') => Array.from({length: n}, (_, i) => Buffer.from(`line ${i} ${salt}\n`))

test('chunks round-trip, and stay after the store is reopened', async (t) => {
  let {store, reopen} = await tempStore(t)
  const chunks = [...lines(3000), randomBytes(40_000, 1), Buffer.alloc(0)]
  const ids = chunks.map((c) => store.add(c))
  await store.flush()
  for (const [i, id] of ids.entries()) t.true((await store.read(id)).equals(chunks[i]))
  ;({store} = await reopen())
  t.deepEqual(store.missing(ids), [])
  for (const [i, id] of ids.entries()) t.true((await store.read(id)).equals(chunks[i]))
})

test('reads of one block at once share its inflation (a tree read level by level reads thousands together)', async (t) => {
  let {store, reopen} = await tempStore(t)
  const ids = lines(2000, 'together').map((c) => store.add(c))
  await store.flush()
  ;({store} = await reopen())
  const chunks = await Promise.all(ids.map((id) => store.read(id)))
  t.true(chunks.every((chunk, i) => chunk.equals(Buffer.from(`line ${i} together\n`))))
  t.is(store.blocksInflated, 1, 'one block, inflated once')
  await Promise.all(ids.map((id) => store.read(id)))
  t.is(store.blocksInflated, 1, 'then from the cache')
})

test('a small block just written is read from memory; a large one is read back and inflated once', async (t) => {
  const {store} = await tempStore(t)
  const line = Buffer.from('Add @salt{1%tsp} and stir.\n')
  const id = store.add(line)
  await store.flush()
  t.true((await store.read(id)).equals(line))
  t.is(store.blocksInflated, 0, 'the few lines of a commit, as the server inlines them in its next answer')
  const big = lines(3000, 'big')
  const ids = big.map((chunk) => store.add(chunk))
  await store.flush()
  t.true((await store.read(ids[0])).equals(big[0]))
  t.is(store.blocksInflated, 1, 'a block of bulk writes is not kept')
})

test('a chunk is stored once however often it is added', async (t) => {
  const {store, packs} = await tempStore(t)
  const line = Buffer.from('Season with @salt{} and @pepper{}.\n')
  for (let i = 0; i < 1000; i++) store.add(line)
  await store.flush()
  t.is(store.chunkCount, 1)
  const files = await readdir(packs)
  const size = (await stat(path.join(packs, files[0]))).size
  t.true(size < 4096, `pack of ${size} bytes for one line`)
})

test('missing names the absent ids, once each, in order', async (t) => {
  const {store} = await tempStore(t)
  const here = store.add(Buffer.from('here\n'))
  await store.flush()
  const a = sha256Hex(Buffer.from('a'))
  const b = sha256Hex(Buffer.from('b'))
  t.deepEqual(store.missing([a, here, b, a]), [a, b])
  t.deepEqual(store.missing(IdList.fromHex([a, here, b, a])), [a, b], 'an IdList the same (looked up by its words)')
  await t.throwsAsync(store.read(a), {instanceOf: MissingChunksError})
})

test('totalLength adds the lengths of the chunks, repeats counted, or is undefined when one is absent; an IdList the same', async (t) => {
  const {store} = await tempStore(t)
  const [x, y] = [store.add(Buffer.from('seven.\n')), store.add(Buffer.from('twelve bytes'))]
  const absent = sha256Hex(Buffer.from('absent'))
  for (const form of [(ids: string[]) => ids, (ids: string[]) => IdList.fromHex(ids)]) {
    t.is(store.totalLength(form([x, y, x])), 7 + 12 + 7)
    t.is(store.totalLength(form([])), 0)
    t.is(store.totalLength(form([x, absent])), undefined)
  }
})

test('chunks are readable before flush, from the same process', async (t) => {
  const {store} = await tempStore(t)
  const id = store.add(Buffer.from('not yet flushed\n'))
  t.is((await store.read(id)).toString(), 'not yet flushed\n')
})

test('a chunk over the limit is refused and nothing is stored', async (t) => {
  const {store} = await tempStore(t)
  t.throws(() => store.add(Buffer.alloc(MAX_CHUNK_BYTES + 1)), {instanceOf: TooLargeError})
  await store.flush()
  t.is(store.chunkCount, 0)
})

test('another process sees chunks only after flush; a stale view catches up on refresh', async (t) => {
  const first = await tempStore(t)
  const {openStoreIn} = await import('../helpers/store.js')
  const second = await openStoreIn(t, first.dir)
  const id = first.store.add(Buffer.from('shared line\n'))
  t.deepEqual(second.store.missing([id]), [id])
  await first.store.flush()
  t.deepEqual(second.store.missing([id]), [])
  t.is((await second.store.read(id)).toString(), 'shared line\n')
})

test('many flushes merge their index segments and lose nothing', async (t) => {
  let {store, reopen} = await tempStore(t)
  const ids: string[] = []
  for (let round = 0; round < 40; round++) {
    for (const line of lines(50, `round ${round}`)) ids.push(store.add(line))
    await store.flush()
  }
  ;({store} = await reopen())
  t.is(store.chunkCount, ids.length)
  t.deepEqual(store.missing(ids), [])
  const report = await fsckStore(store)
  t.is(report.chunks, ids.length)
  t.deepEqual(report.damaged, [])
})

test('a flipped byte in a pack is an error on read and fsck names the chunk', async (t) => {
  let {store, packs, reopen} = await tempStore(t)
  const ids = lines(200).map((l) => store.add(l))
  const photo = randomBytes(200_000, 4)
  const photoIds: string[] = []
  for (let at = 0; at < photo.length; at += 50_000) photoIds.push(store.add(photo.subarray(at, at + 50_000)))
  await store.flush()
  ;({store} = await reopen())
  const [pack] = await readdir(packs)
  const file = await open(path.join(packs, pack), 'r+')
  const {size} = await file.stat()
  // Flip a byte late in the pack: inside the stored (incompressible) photo blocks.
  const at = size - 30_000
  const byte = Buffer.alloc(1)
  await file.read(byte, 0, 1, at)
  byte[0] ^= 0x01
  await file.write(byte, 0, 1, at)
  await file.close()

  const report = await fsckStore(store)
  t.is(report.damaged.length, 1)
  const [damage] = report.damaged
  t.true(photoIds.includes(damage.id))
  await t.throwsAsync(store.read(damage.id), {instanceOf: CorruptDataError})
  // Everything else still reads.
  for (const id of [...ids, ...photoIds.filter((id) => id !== damage.id)]) await t.notThrowsAsync(store.read(id))
  // At hand (its block inflated in memory by those reads), the damaged chunk is refused the same way.
  t.throws(() => store.readKeyAtHand(hexToKey(damage.id)), {instanceOf: CorruptDataError})
})

test('a chunk is at hand once its block is in memory: the same bytes as a read, without a promise', async (t) => {
  let {store, reopen} = await tempStore(t)
  const chunks = lines(300, 'at hand')
  const keys = chunks.map((c) => hexToKey(store.add(c)))
  // Still in the open block: at hand, copied from there.
  t.true(store.readKeyAtHand(keys[0])?.equals(chunks[0]))
  await store.flush()
  ;({store} = await reopen())
  t.is(store.readKeyAtHand(keys[1]), undefined, 'not read since the store opened')
  t.is(store.readKeyAtHand(sha256Key(Buffer.from('never stored'))), undefined)
  t.true((await store.readKey(keys[1])).equals(chunks[1]))
  for (const [i, key] of keys.entries()) t.true(store.readKeyAtHand(key)?.equals(chunks[i]), `chunk ${i}`)
})

test('a damaged compressed block fails its chunks, never returns wrong bytes', async (t) => {
  let {store, packs, reopen} = await tempStore(t)
  const ids = lines(500, 'text block').map((l) => store.add(l))
  await store.flush()
  ;({store} = await reopen())
  const [pack] = await readdir(packs)
  const file = await open(path.join(packs, pack), 'r+')
  await file.write(Buffer.from([0xff, 0xff, 0xff]), 0, 3, 600)
  await file.close()
  const report = await fsckStore(store)
  t.is(report.damaged.length, ids.length)
  for (const id of ids) await t.throwsAsync(store.read(id), {instanceOf: CorruptDataError})
})

test('the index loads on first use, not on open: a store opened before another one flushed sees its chunks', async (t) => {
  const first = await tempStore(t)
  const {openStoreIn} = await import('../helpers/store.js')
  const second = await openStoreIn(t, first.dir)
  const id = first.store.add(Buffer.from('added after the second store opened\n'))
  await first.store.flush()
  // `has` does not refresh: the second store learns of the chunk only because it loads its index now.
  t.true(second.store.has(id))
})

test('a store over an unreadable index opens, and fails on first use with E_CORRUPT', async (t) => {
  const dir = await tempDir(t)
  const packs = path.join(dir, 'packs')
  await mkdir(packs)
  const env = openEnv(path.join(dir, 'db'))
  t.teardown(() => env.close())
  // A segment that is not a whole number of 52-byte entries.
  await env.openDB<Buffer, number>({name: 'chunk-segments', keyEncoding: 'uint32', encoding: 'binary'}).put(1, Buffer.alloc(51))
  const store = ChunkStore.open(env, packs)
  t.teardown(() => store.close())
  const id = sha256Hex(Buffer.from('x'))
  t.throws(() => store.has(id), {instanceOf: CorruptDataError, message: /segment 1 is 51 bytes/})
  t.throws(() => store.add(Buffer.from('x')), {instanceOf: CorruptDataError})
})

/** Chunks as a piece (piece-hasher.ts): their bytes one after another, their lengths and ids. */
function pieceOf(chunks: Buffer[]): Piece {
  const ids = new IdList()
  for (const chunk of chunks) ids.pushKey(sha256Key(chunk))
  return {bytes: Buffer.concat(chunks), count: chunks.length, lengths: Uint32Array.from(chunks, (chunk) => chunk.length), ids}
}

test('chunks added as pieces (the hashify path) are stored once, read back and checked', async (t) => {
  let {store, reopen} = await tempStore(t)
  const chunks = [...lines(5000), ...lines(5000), randomBytes(70_000, 3)]
  const ids = new IdList()
  for (const chunk of chunks) ids.pushKey(sha256Key(chunk))
  store.addPiece(pieceOf(chunks.slice(0, 3000)))
  store.addPiece(pieceOf(chunks.slice(3000)))
  const unhashed = pieceOf(lines(3))
  unhashed.ids.clear()
  t.throws(() => store.addPiece(unhashed), {instanceOf: RangeError})
  await store.flush()
  t.is(store.chunkCount, 5001)
  ;({store} = await reopen())
  for (const i of [0, 4999, 5000, 9999, 10_000]) t.true((await store.read(ids.hexAt(i))).equals(chunks[i]))
  t.deepEqual((await fsckStore(store)).damaged, [])
})

test('blocks compressed on the calling thread (sync hashify) are the bytes the thread pool writes, read back and checked', async (t) => {
  const pooled = await tempStore(t)
  const here = await tempStore(t)
  here.store.compressOnThisThread()
  // Blocks of lines, blocks of large text-like chunks, incompressible (stored) blocks, and a last small block.
  const runs = Array.from({length: 300}, (_, i) => Buffer.from(`${lines(40, `run ${i}`).join('')}`))
  const chunks = [...lines(20_000), ...runs, ...Array.from({length: 40}, (_, i) => randomBytes(16 * 1024, 200 + i)), ...lines(5, 'tail')]
  for (const {store} of [pooled, here]) {
    store.addPiece(pieceOf(chunks.slice(0, 20_000)))
    store.addPiece(pieceOf(chunks.slice(20_000)))
  }
  await pooled.reopen()
  const {store, packs} = await here.reopen()
  const [pack] = await readdir(packs)
  t.true((await readFile(path.join(packs, pack))).equals(await readFile(path.join(pooled.packs, pack))))
  for (const i of [0, 19_999, 20_000, 20_299, 20_300, chunks.length - 1]) t.true((await store.read(sha256Hex(chunks[i]))).equals(chunks[i]))
  t.deepEqual((await fsckStore(store)).damaged, [])
})

test('a closed pack file is a tar archive: one entry per block, in order, each a compressed block', async (t) => {
  const {store, packs, reopen} = await tempStore(t)
  const chunks = [...lines(60_000), randomBytes(300_000, 8)]
  for (const chunk of chunks) store.add(chunk)
  await reopen() // flushes and closes the pack
  const [pack] = await readdir(packs)
  const extract = tar.extract()
  extract.end(await readFile(path.join(packs, pack)))
  const names: string[] = []
  let stored = 0
  for await (const entry of extract) {
    names.push(entry.header.name)
    const parts: Buffer[] = []
    for await (const part of entry) parts.push(part as Buffer)
    stored += decodeBlock(decompressBlockSync(Buffer.concat(parts), MAX_BLOCK_PLAIN_BYTES)).count
  }
  t.true(names.length > 10)
  t.deepEqual(
    names,
    names.map((_, i) => String(i).padStart(8, '0')),
  )
  t.is(stored, store.chunkCount)
})

test('blocks of lines are sealed past 64 KiB, blocks of large chunks (binary) past 256 KiB; stored blocks decompress to them', async (t) => {
  const {store, packs, reopen} = await tempStore(t)
  const text = lines(40_000)
  const photo = Array.from({length: 64}, (_, i) => randomBytes(16 * 1024, 100 + i))
  for (const chunk of text) store.add(chunk)
  await store.flush()
  for (const chunk of photo) store.add(chunk)
  await reopen()
  const [pack] = await readdir(packs)
  const extract = tar.extract()
  extract.end(await readFile(path.join(packs, pack)))
  const plainSizes: {bytes: number; chunks: number}[] = []
  for await (const entry of extract) {
    const parts: Buffer[] = []
    for await (const part of entry) parts.push(part as Buffer)
    const block = decodeBlock(decompressBlockSync(Buffer.concat(parts), MAX_BLOCK_PLAIN_BYTES))
    plainSizes.push({bytes: block.lengths.reduce((sum, length) => sum + length, 0), chunks: block.count})
  }
  const lineBlocks = plainSizes.filter((block) => block.bytes / block.chunks < 1024)
  const largeBlocks = plainSizes.filter((block) => block.bytes / block.chunks >= 1024)
  t.true(lineBlocks.slice(0, -1).every((block) => block.bytes >= 64 * 1024 && block.bytes < 65 * 1024))
  t.deepEqual(
    largeBlocks.map((block) => block.chunks),
    [16, 16, 16, 16],
  )
})

test('a flush of many chunks writes them as segments of one index page at most, which a reopened store reads all of', async (t) => {
  let {store, env, reopen} = await tempStore(t)
  // 150,000 chunks: more than two pages of the index (65,536 entries each), flushed at once.
  const chunks = lines(150_000, 'paged')
  const ids = chunks.map((chunk) => store.add(chunk))
  await store.flush()
  const segments = env.openDB<Buffer, number>({name: 'chunk-segments', keyEncoding: 'uint32', encoding: 'binary'})
  const sizes = [...segments.getRange()].map(({value}) => value.length / 52)
  t.deepEqual(sizes, [65_536, 65_536, 150_000 - 2 * 65_536])
  ;({store} = await reopen())
  t.deepEqual(store.missing(ids), [])
  t.true((await store.read(ids[149_999])).equals(chunks[149_999]))
})
