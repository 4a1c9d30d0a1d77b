/**
 * Packs without ids (docs/protocol.md, Wire packs) go only to a server that says it reads them; fetches ask for
 * them, and whatever comes is taken only where it is a chunk that was asked for.
 */
import zlib from 'node:zlib'
import test from 'ava'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import {PACK_WITHOUT_IDS} from '#src/protocol/wire-pack/pack-chunk.js'
import {DEFAULT_HEALTH} from '../helpers/health.js'
import {tempStore} from '../helpers/store.js'
import {version} from '../server/support/versions.js'
import {standIn} from './support/stand-in-server.js'

const file = version(...Array.from({length: 100}, (_, i) => `line ${i} of the stew\n`))
const {packsWithoutIds: _, ...olderHealth} = DEFAULT_HEALTH
/** The flags of a pack's first block: past the tar header (512 bytes), after the block's count. */
const firstBlockFlags = (pack: Buffer) => zlib.inflateRawSync(pack).readUInt32LE(512 + 4)

async function storeWithFile(t: Parameters<typeof tempStore>[0]) {
  const here = await tempStore(t)
  for (const c of file.chunks) here.store.add(c.bytes)
  await here.store.flush()
  return here.store
}

test('an older server gets blocks with ids; one that reads packs without ids gets none', async (t) => {
  for (const [health, flags] of [
    [olderHealth, 1],
    [DEFAULT_HEALTH, 0],
  ] as const) {
    const {client, seen} = await standIn(t, health)
    await client.upload(await storeWithFile(t), file.ids)
    const uploads = seen.filter(({path}) => path.endsWith('/packs'))
    t.is(uploads.length, 1)
    t.is(firstBlockFlags(uploads[0].body), flags)
  }
})

test('a fetch asks for a pack without ids and takes its chunks by the ids they hash to', async (t) => {
  const wanted = file.chunks.slice(0, 10)
  const {client, seen} = await standIn(t, DEFAULT_HEALTH, (_req, res) => void encodePack(wanted, {ids: false}).then((pack) => res.end(pack)))
  const got = await client.fetchBytes(wanted.map((c) => c.id))
  t.is(seen.find(({path}) => path.endsWith('/packs/fetch'))?.accept, PACK_WITHOUT_IDS)
  t.deepEqual(
    [...got].map(([id, bytes]) => [id, bytes.toString()]),
    wanted.map((c) => [c.id, c.bytes.toString()]),
  )
})

test('a pack without ids holding a chunk that was not asked for is not taken for the one that was', async (t) => {
  const wanted = file.chunks.slice(0, 10)
  // A hostile server: the last chunk swapped for one not asked for, every time.
  const {client} = await standIn(
    t,
    DEFAULT_HEALTH,
    (_req, res) => void encodePack([...wanted.slice(0, 9), file.chunks[50]], {ids: false}).then((pack) => res.end(pack)),
  )
  const error = await t.throwsAsync(client.fetchBytes(wanted.map((c) => c.id)))
  t.like(error, {code: 'E_BAD_PACK', message: 'bad pack: the server sent none of the chunks asked for'})
})
