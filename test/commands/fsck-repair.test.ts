/**
 * `sync fsck --repair` as users meet it: a folder whose pack was cut short (a copy of the folder taken while its
 * daemon wrote) fails what reads the damage with exit 6 and a pointer to the repair; the repair drops the damaged
 * chunks and fetches them from the server again, or, with the server down, has the next sync read the files that
 * hold them again. The CLI as a subprocess against a real server on a loopback port, real folders.
 */
import {readFile, stat, truncate, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {runSync, text} from '../helpers/cli.js'
import {randomBytes} from '../helpers/random.js'
import {fileIs, waitFor} from '../helpers/wait-for.js'

async function ok(t: ExecutionContext, args: string[], cwd: string): Promise<string> {
  const result = await runSync(args, {cwd})
  t.is(result.exitCode, 0, `sync ${args.join(' ')}: ${text(result.stderr)}`)
  return text(result.stdout)
}

const fsckJson = async (cwd: string) => JSON.parse(text((await runSync(['fsck', '--json'], {cwd})).stdout)) as {chunks: number; damaged: unknown[]}

/** A device with the cookbook, synced, whose first pack is then cut short after its first tar header. */
async function damagedDevice(t: ExecutionContext) {
  const space = await cliNamespace(t)
  const a = await space.device('a', {cookbook: true})
  await ok(t, ['once'], a)
  const whole = await fsckJson(a)
  t.deepEqual(whole.damaged, [])
  const pack = path.join(a, '.sync', 'packs', '00000001.pack')
  t.true((await stat(pack)).size > 100_000)
  await truncate(pack, 512)
  return {...space, a, whole}
}

test('a pack cut short: a diff that reads it fails with exit 6 and names the repair; fsck --repair fetches the damage again and all works', async (t) => {
  const {a, device, whole} = await damagedDevice(t)
  const risotto = path.join(a, 'Risotto.cook')
  await writeFile(risotto, `${await readFile(risotto, 'utf8')}Serve at once.\n`)
  const diff = await runSync(['diff', 'Risotto.cook'], {cwd: a})
  t.is(diff.exitCode, 6, text(diff.stderr))
  t.regex(
    text(diff.stderr),
    /^error: pack 00000001\.pack is truncated: .*: this folder's store is damaged; 'sync fsck --repair' drops the damage and fetches it again\n$/,
  )
  const found = await runSync(['fsck'], {cwd: a})
  t.is(found.exitCode, 6)
  const damaged = Number(/, (\d+) damaged$/m.exec(text(found.stdout))?.[1])
  t.true(damaged > 0 && damaged <= whole.chunks, `${damaged} damaged`)

  const repair = await ok(t, ['fsck', '--repair'], a)
  t.regex(repair, new RegExp(`^dropped ${damaged} damaged chunks of ${whole.chunks}: ${damaged} fetched again from the server$`, 'm'))
  t.regex(repair, /^the next sync reads \d+ files again$/m)
  t.like(await fsckJson(a), {chunks: whole.chunks, damaged: []}, 'every chunk is back, and whole')
  t.regex(await ok(t, ['diff', 'Risotto.cook'], a), /^\+Serve at once\.$/m)
  await ok(t, ['once'], a)
  const b = await device('b')
  await ok(t, ['once'], b)
  t.is(await readFile(path.join(b, 'Risotto.cook'), 'utf8'), await readFile(risotto, 'utf8'))
  t.is(await ok(t, ['fsck', '--repair'], a), `${whole.chunks + 1} chunks checked, none damaged: nothing to repair\n`, 'the new line is one chunk more')
})

test('fsck --repair with the server down: the files that held damaged chunks are read again by the next sync, which stores them anew', async (t) => {
  const {a, server, whole} = await damagedDevice(t)
  await server.stop()
  const repair = await runSync(['fsck', '--repair', '--json'], {cwd: a})
  t.is(repair.exitCode, 0, text(repair.stderr))
  const report = JSON.parse(text(repair.stdout)) as {dropped: number; refetched: number; reread: string[]; fetchError?: string}
  t.true(report.dropped > 0)
  t.is(report.refetched, 0)
  t.regex(report.fetchError ?? '', /^cannot talk to http:\/\/127\.0\.0\.1:\d+/)
  t.is(report.reread.length, 31, 'every file of the folder')
  t.is((await fsckJson(a)).chunks, whole.chunks - report.dropped)
  await server.start()
  t.regex(await ok(t, ['once'], a), /^in sync at jid 31: 0 sent, 0 received/m)
  t.like(await fsckJson(a), {chunks: whole.chunks, damaged: []}, 'the files gave every chunk back')
})

test('fsck --repair waits for no daemon: with one syncing the folder it says so and changes nothing', async (t) => {
  const {a} = await damagedDevice(t)
  // A lock held by a live process that is not a daemon (this test's own pid) is a `sync once` under way.
  await writeFile(path.join(a, '.sync', 'sync.lock'), `${process.pid}\n`)
  const refused = await runSync(['fsck', '--repair'], {cwd: a})
  t.is(refused.exitCode, 12)
  t.regex(text(refused.stderr), new RegExp(`^error: another sync process \\(pid ${process.pid}\\) is syncing`))
  t.true((await fsckJson(a)).damaged.length > 0, 'nothing dropped')
})

/** The damaged device `a`, and a device `b` that edited a recipe: a's copy is patched from the version a holds, whose chunks the cut pack held. */
async function editedElsewhere(t: ExecutionContext) {
  const {a, device, whole} = await damagedDevice(t)
  const b = await device('b')
  await ok(t, ['once'], b)
  const edited = `${await readFile(path.join(b, 'Risotto.cook'), 'utf8')}Serve at once.\n`
  await writeFile(path.join(b, 'Risotto.cook'), edited)
  await ok(t, ['once'], b)
  return {a, whole, edited}
}

const REPAIRED =
  /a pass met damage in this folder's store \(pack 00000001\.pack is truncated: .*\): dropped \d+ damaged chunks of \d+: \d+ fetched again from the server; syncing again\n/

test('sync once whose pass fails on damage in the store repairs it, says so, and syncs', async (t) => {
  const {a, whole, edited} = await editedElsewhere(t)
  const once = await runSync(['once'], {cwd: a})
  t.is(once.exitCode, 0, text(once.stderr))
  t.regex(text(once.stdout), REPAIRED)
  t.regex(text(once.stdout), /^received Risotto\.cook/m)
  t.is(await readFile(path.join(a, 'Risotto.cook'), 'utf8'), edited)
  t.like(await fsckJson(a), {chunks: whole.chunks + 1, damaged: []}, 'every chunk back and whole, the new line with them')
})

test('a daemon whose pass fails on damage in its store repairs it by itself, says so, and syncs on', async (t) => {
  const {a, whole, edited} = await editedElsewhere(t)
  const daemon = await startCliDaemon(t, a)
  await daemon.said(REPAIRED)
  await waitFor("b's edit on a", () => fileIs(path.join(a, 'Risotto.cook'), edited))
  await daemon.stop()
  t.notRegex(daemon.output.text, /error:/, `the failure went to the repair: ${daemon.output.text}`)
  t.like(await fsckJson(a), {chunks: whole.chunks + 1, damaged: []}, 'every chunk back and whole, the new line with them')
})

test('a daemon whose big upload meets damage in the store repairs it, reads the file again and sends it', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  // Big enough for the big lane, which reads the chunks it sends from the store: stored (hashify), then cut short.
  const big = randomBytes(6 * 1024 * 1024, 7)
  await writeFile(path.join(a, 'big.bin'), big)
  await ok(t, ['hashify', 'big.bin'], a)
  await truncate(path.join(a, '.sync', 'packs', '00000001.pack'), 512)
  const daemon = await startCliDaemon(t, a)
  await daemon.said(/a pass met damage in this folder's store \(big\.bin: pack 00000001\.pack is truncated: .*\): dropped \d+ damaged chunks/)
  await daemon.said(/^\S+ sent big\.bin/m)
  await daemon.stop()
  t.notRegex(daemon.output.text, /error:/, `the failure went to the repair: ${daemon.output.text}`)
  const b = await device('b')
  await ok(t, ['once'], b)
  t.true((await readFile(path.join(b, 'big.bin'))).equals(big))
})
