/**
 * A device's garbage collection (src/sync/collect-folder.ts) with a real server and real stores: what a pending
 * change needs survives it, a file kept as a tree keeps its nodes (the next edit costs a few KB again), and the
 * daemon collects by itself once garbage passes the folder's threshold.
 */
import {readFile, unlink, writeFile} from 'node:fs/promises'
import test from 'ava'
import {NetworkError} from '#src/errors/index.js'
import {buildTree} from '#src/manifest/id-tree.js'
import {collectFolder, type FolderGcReport} from '#src/sync/collect-folder.js'
import {startDaemon} from '../helpers/test-daemon.js'
import type {GcCause} from '#src/sync/daemon-gc.js'
import {listPacks} from '#src/store/pack-usage.js'
import {makeDevice, type Device} from '../helpers/device.js'
import {randomBytes} from '../helpers/random.js'
import {startTestServer} from '../helpers/server.js'
import {traffic} from '../helpers/traffic.js'
import {waitFor} from '../helpers/wait-for.js'

const MB = 1024 * 1024

/** The ids of every version the device's state names that its store lacks. */
function unstored(device: Device): string[] {
  const absent: string[] = []
  for (const [, record] of device.syncer.state.entries()) {
    for (const manifest of [record.local?.manifest, record.base?.manifest, record.remote?.manifest]) {
      if (manifest?.kind === 'file') absent.push(...device.folder.store.missing(manifest.ids.toHexArray()))
    }
  }
  return absent
}

async function packBytes(device: Device): Promise<number> {
  return (await listPacks(device.folder.store.packsDir)).reduce((sum, file) => sum + file.bytes, 0)
}

test('a change not yet sent (the server down) keeps its chunks through gc, and goes out once the server is back', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  const b = await makeDevice(t, server, 'b')
  await a.pass()
  const photo = randomBytes(2 * MB, 7)
  await server.stop()
  await writeFile(a.file('photo.jpg'), photo)
  await t.throwsAsync(a.pass(), {instanceOf: NetworkError})
  t.truthy(a.syncer.state.get('photo.jpg')?.local, 'the scan found it; the failed pass saved nothing')
  const report = await collectFolder(a.syncer, {graceSeconds: 0})
  t.true(report.liveChunks > 0)
  t.deepEqual(unstored(a), [])
  await server.start()
  const sent = await a.pass()
  t.is(sent.uploaded, 1)
  await b.pass()
  t.deepEqual(await readFile(b.file('photo.jpg')), photo)
})

const LINES = 60_000
const bigText = (edited = -1) => Array.from({length: LINES}, (_, i) => (i === edited ? `line ${i} was changed\n` : `line ${i}: 2 cups of flour\n`)).join('')

test('a file kept as a tree keeps its nodes through gc on both devices: a one-line edit afterwards moves a few KB', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFile(a.file('big.txt'), bigText())
  await writeFile(a.file('gone.txt'), bigText().repeat(2).replaceAll('flour', 'sugar'))
  await a.pass()
  await b.pass()
  await unlink(a.file('gone.txt'))
  await a.pass()
  await b.pass()
  for (const device of [a, b]) {
    const report = await collectFolder(device.syncer, {graceSeconds: 0})
    t.true(report.bytesAfter < report.bytesBefore, `${device.name}: the deleted file's chunks went`)
    t.deepEqual(unstored(device), [])
    const local = device.syncer.state.get('big.txt')?.local?.manifest
    if (local?.kind !== 'file') throw new Error('big.txt is not a file here')
    const nodes = buildTree(local.ids).nodes.map((node) => node.id)
    t.true(nodes.length > 100)
    t.deepEqual(device.folder.store.missing(nodes), [], `${device.name} keeps the tree's nodes`)
  }
  const edited = bigText(30_000)
  const up = await traffic(a, async () => {
    await writeFile(a.file('big.txt'), edited)
    await a.pass()
  })
  const down = await traffic(b, () => b.pass())
  t.is(await readFile(b.file('big.txt'), 'utf8'), edited)
  t.true(up.sent < 16 * 1024, `the edit sent ${up.sent} bytes`)
  t.true(down.received < 16 * 1024, `the other device received ${down.received} bytes`)
})

test('the daemon collects by itself once the store passes its threshold, once, between passes', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  Object.assign(a.folder.config, {gc: {aboveMB: 4, graceSeconds: 0}})
  const collections: {cause: GcCause; report: FolderGcReport}[] = []
  const {errors} = startDaemon(t, a, {gcLookEveryMs: 0, onGc: (cause, report) => collections.push({cause, report})})
  const sent = () => a.events.filter((event) => event.direction === 'up').length
  for (let version = 0; version < 2; version++) {
    const before = sent()
    await writeFile(a.file('photo.jpg'), randomBytes(3 * MB, 20 + version))
    await waitFor(`version ${version} sent`, () => sent() > before)
  }
  t.deepEqual(collections, [], 'live: the photo and the cookbook, more than half the store')
  await unlink(a.file('photo.jpg'))
  await waitFor('a collection', () => collections.length > 0).catch((error: Error) => {
    throw new Error(`${error.message} (errors: ${errors.join('; ')}; ${collections.length} collections)`)
  })
  t.like(collections[0], {cause: 'garbage', report: {dryRun: false}})
  t.true(collections[0].report.bytesAfter < 2 * MB, `${collections[0].report.bytesAfter} bytes stayed`)
  t.is(await packBytes(a), collections[0].report.bytesAfter)
  await writeFile(a.file('note.txt'), 'one more pass\n')
  await waitFor('the next pass', () => a.events.some((event) => event.path === 'note.txt'))
  t.is(collections.length, 1, 'once: the store is small now')
  t.deepEqual(errors, [])
})
