/**
 * A store written before blocks were brotli (fixtures/deflate-store: one pack of raw deflate blocks, made by the
 * code of 2026-12-04 morning, store format 1) is read as it is, checks clean, and takes new chunks in brotli blocks
 * beside them, which makes it format 2.
 */
import {open, readdir} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {BROTLI_TAG} from '#src/store/block-compression.js'
import {fsckStore} from '#src/store/fsck.js'
import {openStoreIn} from '../helpers/store.js'
import {copyFixture, repoRoot} from '../helpers/temp.js'

const fixture = path.join(repoRoot, 'fixtures', 'deflate-store')
/** The fixture's chunks: a recipe's lines, 300 more lines, 5,000 random bytes (stored). */
const FIXTURE_CHUNKS = 325

async function firstByteOfBlock(packs: string, pack: number, offset: number): Promise<number> {
  const handle = await open(path.join(packs, `${pack.toString(16).padStart(8, '0')}.pack`), 'r')
  try {
    const byte = Buffer.alloc(1)
    await handle.read(byte, 0, 1, offset)
    return byte[0]
  } finally {
    await handle.close()
  }
}

test('a store of deflate blocks reads and checks clean, and new chunks go beside them in brotli blocks', async (t) => {
  let {store, packs, env, reopen} = await openStoreIn(t, await copyFixture(t, fixture))
  const format = () => env.openDB<number, string>({name: 'store-meta'}).get('format')
  t.is(format(), 1)
  const old = [...store.persistedEntries()]
  t.is(old.length, FIXTURE_CHUNKS)
  t.true(old.every(({location}) => location.pack === 1))
  // Each read is checked against the chunk's id.
  for (const {id, location} of old) t.is((await store.read(id)).length, location.length)
  t.deepEqual((await fsckStore(store)).damaged, [])

  const lines = Array.from({length: 2000}, (_, i) => Buffer.from(`Fold in the @flour{${i}%g} gently.\n`))
  const ids = lines.map((line) => store.add(line))
  ;({store, env} = await reopen())
  t.is(format(), 2, 'the write that indexed brotli blocks marked the store: an older sync refuses it')
  const added = [...store.persistedEntries()].filter(({location}) => location.pack !== 1)
  t.is(added.length, lines.length)
  t.deepEqual(await readdir(packs), ['00000001.pack', '00000002.pack'])
  t.is(await firstByteOfBlock(packs, added[0].location.pack, added[0].location.blockOffset), BROTLI_TAG)
  for (const [i, id] of ids.entries()) t.true((await store.read(id)).equals(lines[i]))
  for (const {id} of old) await store.read(id)
  const report = await fsckStore(store)
  t.deepEqual(report.damaged, [])
  t.is(report.chunks, FIXTURE_CHUNKS + lines.length)
})
