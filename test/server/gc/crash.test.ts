/** `sync-server gc` killed (SIGKILL) mid-mark, mid-repack and mid-delete: fsck is clean, nothing kept is lost, and the next run finishes. */
import path from 'node:path'
import test from 'ava'
import {JournalClient} from '#src/journal/journal-client.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {IdList} from '#src/chunk/id-list.js'
import {listPacks} from '#src/store/pack-usage.js'
import {randomBytes} from '../../helpers/random.js'
import {tempDir} from '../../helpers/temp.js'
import {runServer, startServer} from '../support/server-process.js'
import {fileVersion} from './gc-fixture.js'

const points = ['gc-mid-mark', 'gc-mid-repack', 'gc-mid-delete'] as const

for (const point of points) {
  test(`gc killed at ${point}: fsck clean, every head intact, and a second gc reclaims the space`, async (t) => {
    const data = await tempDir(t)
    const token = String((await runServer(['token', 'create', '--data', data, '--namespace', 'home', '--device', 'laptop'])).stdout)
    t.is((await runServer(['namespace', 'set', 'home', '--data', data, '--keep-days', '0', '--thin-days', '0'])).exitCode, 0)
    const server = await startServer(t, data)
    const journal = new JournalClient({url: server.url, namespace: 'home', token}, {timeoutMs: 10_000})
    t.teardown(() => journal.close())
    const heads = new Map<string, ReturnType<typeof fileVersion>>()
    const jids = new Map<string, number>()
    for (let i = 0; i < 6; i++) {
      for (const name of ['a.jpg', 'b.jpg']) {
        const version = fileVersion(randomBytes(150_000, i * 2 + name.length))
        const ids = IdList.fromHex(version.chunks.map((c) => c.id))
        const inline = new Map(version.chunks.map((c) => [c.id, c.bytes]))
        const [result] = await journal.commit([{path: name, base: jids.get(name) ?? null, manifest: fileManifest(ids, version.manifest.size)}], {inline})
        if (result.status !== 'committed') throw new Error(JSON.stringify(result))
        jids.set(name, result.jid)
        heads.set(name, version)
      }
    }
    await server.stop()
    const packs = path.join(data, 'chunks', 'home', 'packs')
    const before = (await listPacks(packs)).reduce((sum, file) => sum + file.bytes, 0)
    const killed = await runServer(['gc', '--data', data, '--grace', '0s'], {SYNC_CRASH_AT: point})
    t.is(killed.signal, 'SIGKILL', String(killed.stderr))
    const fsck = await runServer(['fsck', '--data', data])
    t.is(fsck.exitCode, 0, String(fsck.stdout) + String(fsck.stderr))
    const again = await runServer(['gc', '--data', data, '--grace', '0s', '--json'])
    t.is(again.exitCode, 0, String(again.stderr))
    const after = (await listPacks(packs)).reduce((sum, file) => sum + file.bytes, 0)
    t.true(after < before / 3, `${before} -> ${after}`)
    t.is((await runServer(['fsck', '--data', data])).exitCode, 0)
    const restarted = await startServer(t, data)
    const reader = new JournalClient({url: restarted.url, namespace: 'home', token}, {timeoutMs: 10_000})
    t.teardown(() => reader.close())
    for (const version of heads.values()) {
      const fetched = await reader.fetchBytes(version.chunks.map((c) => c.id))
      t.is(fetched.size, version.chunks.length)
    }
  })
}

test('gc of a data folder being served exits 3 and says to use --gc-every; namespace set and show', async (t) => {
  const data = await tempDir(t)
  await runServer(['token', 'create', '--data', data, '--namespace', 'home', '--device', 'laptop'])
  const set = await runServer(['namespace', 'set', 'home', '--data', data, '--keep-days', '60', '--thin-days', '365'])
  t.is(set.exitCode, 0, String(set.stderr))
  const shown = await runServer(['namespace', 'show', 'home', '--data', data, '--json'])
  t.deepEqual(JSON.parse(String(shown.stdout)), {namespace: 'home', retention: {keepDays: 60, thinDays: 365}, quota: null, used: 0})
  t.is((await runServer(['namespace', 'show', 'nope', '--data', data])).exitCode, 1)
  await startServer(t, data)
  const busy = await runServer(['gc', '--data', data])
  t.is(busy.exitCode, 3)
  t.regex(String(busy.stderr), /--gc-every/)
})
