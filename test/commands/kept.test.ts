/** `sync kept` and `sync restore --kept`, as users run them: the versions a device keeps when a remote change replaces them. */
import {readdir, readFile, rm, truncate, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {initDevice} from '../helpers/cli-namespace.js'
import {runSync, text} from '../helpers/cli.js'
import {randomBytes} from '../helpers/random.js'
import {fill, smallDisk, withSmallDisk} from '../helpers/small-disk.js'
import {startTestServer} from '../helpers/server.js'
import {tempDir} from '../helpers/temp.js'

/**
 * Devices `a` and `b` of namespace recipes, `a` keeping one version (b replaced a's pancakes, or the `mine` given),
 * `a` on a small disk when asked.
 */
async function keptOnA(t: ExecutionContext, options: {mine?: Buffer; smallDisk?: boolean} = {}) {
  const server = await startTestServer(t)
  const work = await tempDir(t)
  if (options.smallDisk) await smallDisk(t, path.join(work, 'a'), '40m')
  const device = async (name: string) => initDevice(path.join(work, name), {url: server.url, namespace: 'recipes', token: await server.token(), device: name})
  const [a, b] = [await device('a'), await device('b')]
  const once = async (cwd: string) => t.is((await runSync(['once'], {cwd})).exitCode, 0)
  const mine = options.mine ?? Buffer.from('Pancakes\n@flour{200%g}\nmy note, written on a\n')
  await writeFile(path.join(a, 'pancakes.cook'), mine)
  await once(a)
  await once(b)
  await writeFile(path.join(b, 'pancakes.cook'), 'Pancakes\nb rewrote it\n')
  await once(b)
  const received = text((await runSync(['once'], {cwd: a})).stdout)
  const kept = async () => JSON.parse(text((await runSync(['kept', '--json'], {cwd: a})).stdout)).versions
  return {server, a, b, once, mine, received, kept}
}

test('kept lists the version another device replaced, restore --kept brings it back and sends it; keep-days 0 keeps none', async (t) => {
  const {a, b, once, mine, received} = await keptOnA(t)
  t.regex(received, /^received pancakes\.cook \(jid 2; the version written here is kept: sync kept pancakes\.cook\)$/m)

  const listed = await runSync(['kept', '--json'], {cwd: a})
  t.is(listed.exitCode, 0, text(listed.stderr))
  const {versions} = JSON.parse(text(listed.stdout))
  t.like(versions, [{id: 1, path: 'pancakes.cook', size: Buffer.byteLength(mine), replacedBy: {deleted: false}}])
  t.regex(versions[0].keptAt, /^\d{4}-\d\d-\d\dT/)
  const time = versions[0].keptAt.replace('T', ' ').slice(0, 19)
  const size = `${Buffer.byteLength(mine)} bytes`.padEnd(14)
  t.is(text((await runSync(['kept', 'pancakes.cook'], {cwd: a})).stdout), `     1  ${time} UTC  ${size}  pancakes.cook  (replaced by jid 2)\n`)
  t.is(text((await runSync(['kept', 'other.cook'], {cwd: a})).stdout), 'no versions of other.cook are kept on this device\n')
  t.is(text((await runSync(['kept'], {cwd: b})).stdout), 'no versions are kept on this device\n')
  t.regex(text((await runSync(['status'], {cwd: a})).stdout), /\nkept here: 1 version written here and replaced from elsewhere \('sync kept' lists them\)\n/)
  t.like(JSON.parse(text((await runSync(['status', '--json'], {cwd: b})).stdout)), {kept: 0})
  const log = await runSync(['log', 'pancakes.cook'], {cwd: a})
  t.regex(text(log.stdout), /\n1 version written here and replaced from elsewhere is kept on this device: sync kept pancakes\.cook\n$/)
  t.like(JSON.parse(text((await runSync(['log', 'pancakes.cook', '--json'], {cwd: b})).stdout)), {kept: 0})

  const withPath = await runSync(['restore', 'pancakes.cook', '--kept', '1'], {cwd: a})
  t.is(withPath.exitCode, 2)
  t.is(text(withPath.stderr), 'error: --kept ID brings the version back where it was kept from: give no PATH\n')
  const unknown = await runSync(['restore', '--kept', '7'], {cwd: a})
  t.is(unknown.exitCode, 1)
  t.is(text(unknown.stderr), "error: no version 7 is kept on this device ('sync kept' lists them)\n")
  const restored = await runSync(['restore', '--kept', '1'], {cwd: a})
  t.is(restored.exitCode, 0, text(restored.stderr))
  t.is(text(restored.stdout), 'sent pancakes.cook (jid 3)\nrestored pancakes.cook to the version kept here as 1, sent as jid 3\n')
  await once(b)
  t.deepEqual(await readFile(path.join(b, 'pancakes.cook')), mine)

  t.is(text((await runSync(['config', 'set', 'keep-days', '0'], {cwd: a})).stdout), 'keep-days=0\n')
  const negative = await runSync(['config', 'set', 'keep-days', '-1'], {cwd: a})
  t.is(text(negative.stderr), 'error: keep-days takes a whole number >= 0, not "-1"\n')
  await writeFile(path.join(b, 'pancakes.cook'), 'Pancakes\nb again\n')
  await once(b)
  await writeFile(path.join(a, 'waffles.cook'), 'Waffles\n')
  await once(a)
  await once(b)
  await writeFile(path.join(b, 'waffles.cook'), 'Waffles, by b\n')
  await once(b)
  await once(a)
  t.is(await readFile(path.join(a, 'waffles.cook'), 'utf8'), 'Waffles, by b\n')
  t.deepEqual(JSON.parse(text((await runSync(['kept', '--json'], {cwd: a})).stdout)).versions.length, 1, 'nothing more kept at keep-days 0')
})

test('a reset to another namespace keeps the versions kept here, under their numbers; restore --kept sends one to the new namespace', async (t) => {
  const {server, a, mine, kept} = await keptOnA(t)
  const notes = await server.token('notes')
  const before = await kept()
  t.like(before, [{id: 1, path: 'pancakes.cook'}])
  const reset = await runSync(['config', 'set', 'namespace', 'notes', 'token', notes, '--reset'], {cwd: a})
  t.is(reset.exitCode, 0, text(reset.stderr))
  t.regex(text(reset.stdout), /\nthe 1 version kept on this device stays \('sync kept'\)\n$/)
  t.deepEqual(await kept(), before)
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const restored = await runSync(['restore', '--kept', '1', '--json'], {cwd: a})
  t.is(restored.exitCode, 0, text(restored.stderr))
  t.deepEqual(await readFile(path.join(a, 'pancakes.cook')), mine)
})

test('a reset whose kept version cannot be read (its pack damaged) warns by name and goes on', async (t) => {
  const {server, a, kept} = await keptOnA(t)
  const notes = await server.token('notes')
  const packs = path.join(a, '.sync', 'packs')
  for (const name of await readdir(packs)) await truncate(path.join(packs, name), 0)
  const reset = await runSync(['config', 'set', 'namespace', 'notes', 'token', notes, '--reset', '--json'], {cwd: a})
  t.is(reset.exitCode, 0, text(reset.stderr))
  t.regex(text(reset.stderr), /^warning: kept version 1 of pancakes\.cook could not be read, and is not kept: .+\n$/)
  t.like(JSON.parse(text(reset.stdout)), {reset: true, kept: {carried: 0, unreadable: [{id: 1, path: 'pancakes.cook'}]}})
  t.deepEqual(await kept(), [])
})

withSmallDisk('a reset on a full disk stops before anything is replaced: the old state and the versions kept in it stay', async (t) => {
  // 8 MiB that do not compress: the copy of the kept version cannot fit in the 6 MB left, where the new
  // database's writes (which want 4 MiB free) can.
  const {server, a, kept} = await keptOnA(t, {mine: randomBytes(8 * 1024 * 1024, 11), smallDisk: true})
  const notes = await server.token('notes')
  const before = await kept()
  t.like(before, [{id: 1, path: 'pancakes.cook'}])
  const filler = path.join(a, '.sync', 'filler')
  await fill(filler, 6_000_000)
  const full = await runSync(['config', 'set', 'namespace', 'notes', 'token', notes, '--reset'], {cwd: a})
  t.is(full.exitCode, 16, text(full.stderr))
  t.is(text(full.stderr), `error: no space left on the disk of ${a} to build its new sync state: free some and try again (nothing was changed)\n`)
  t.deepEqual(await kept(), before)
  t.like(JSON.parse(text((await runSync(['config', 'get', '--json'], {cwd: a})).stdout)), {namespace: 'recipes'})
  t.deepEqual((await readdir(a)).filter((name) => name.startsWith('.')).sort(), ['.sync'], 'no half-built state is left beside it')

  await rm(filler)
  const roomy = await runSync(['config', 'set', 'namespace', 'notes', 'token', notes, '--reset'], {cwd: a})
  t.is(roomy.exitCode, 0, text(roomy.stderr))
  t.deepEqual(await kept(), before)
})
