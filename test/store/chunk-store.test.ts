import {open, readdir, stat} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {sha256Hex} from '../../src/chunk/hash.js'
import {CorruptDataError, MissingChunksError, TooLargeError} from '../../src/errors/index.js'
import {fsckStore} from '../../src/store/fsck.js'
import {MAX_CHUNK_BYTES} from '../../src/store/limits.js'
import {randomBytes} from '../helpers/random.js'
import {tempStore} from '../helpers/store.js'

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
  await t.throwsAsync(store.read(a), {instanceOf: MissingChunksError})
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
