/**
 * The porcelain as users run it: `sync` as a subprocess against a real server on a loopback port, real folders, a real data folder.
 */
import {readFile, readdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {runSync, syncBin, text} from '../helpers/cli.js'
import {cookbookFixture} from '../helpers/temp.js'
import {fileIs, waitFor} from '../helpers/wait-for.js'
import {cliNamespace} from '../helpers/cli-namespace.js'

const setup = cliNamespace

async function files(root: string, dir = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await readdir(path.join(root, dir), {withFileTypes: true})) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name
    if (relative === '.sync') continue
    if (entry.isDirectory()) Object.assign(out, await files(root, relative))
    else out[relative] = (await readFile(path.join(root, relative))).toString('base64')
  }
  return out
}

test('init, once on both devices: the folders end equal; once again says in sync', async (t) => {
  const {device} = await setup(t)
  const a = await device('a', {cookbook: true})
  const b = await device('b')
  const up = await runSync(['once', '--json'], {cwd: a})
  t.is(up.exitCode, 0, text(up.stderr))
  t.like(JSON.parse(text(up.stdout)), {inSync: true, uploaded: 31})
  const down = await runSync(['once'], {cwd: b})
  t.is(down.exitCode, 0)
  t.regex(text(down.stdout), /received Risotto\.cook/)
  t.regex(text(down.stdout), /in sync at jid 31: 0 sent, 31 received/)
  t.deepEqual(await files(b), await files(a))
})

test('status shows pending changes without making them; log and restore bring a version back', async (t) => {
  const {device} = await setup(t)
  const a = await device('a', {cookbook: true})
  await runSync(['once'], {cwd: a})
  await writeFile(path.join(a, 'Risotto.cook'), 'risotto, version two\n')
  await writeFile(path.join(a, 'New.cook'), 'new\n')
  const status = await runSync(['status', '--json'], {cwd: a})
  t.is(status.exitCode, 0)
  const pending = JSON.parse(text(status.stdout))
  t.deepEqual(pending.pendingUploads, [
    {path: 'New.cook', change: 'new'},
    {path: 'Risotto.cook', change: 'modified'},
  ])
  t.like(pending.server, {reachable: true, head: 31})
  t.is((await runSync(['status', '--json'], {cwd: a})).stdout?.toString(), status.stdout?.toString(), 'status changed nothing')
  await runSync(['once'], {cwd: a})
  const history = JSON.parse(text((await runSync(['log', 'Risotto.cook', '--json'], {cwd: a})).stdout))
  t.is(history.versions.length, 2)
  // A path is taken relative to where the command runs, like git's.
  const fromBelow = JSON.parse(text((await runSync(['log', '../Risotto.cook', '--json'], {cwd: path.join(a, 'Breakfast')})).stdout))
  t.deepEqual(fromBelow, history)
  const outside = await runSync(['log', '../../elsewhere.cook'], {cwd: path.join(a, 'Breakfast')})
  t.is(outside.exitCode, 2)
  t.regex(text(outside.stderr), /not a file path inside/)
  const first = history.versions[1].jid
  const restore = await runSync(['restore', 'Risotto.cook', '--jid', String(first)], {cwd: a})
  t.is(restore.exitCode, 0, text(restore.stderr))
  t.is(await readFile(path.join(a, 'Risotto.cook'), 'utf8'), await readFile(path.join(cookbookFixture, 'Risotto.cook'), 'utf8'))
  t.is(JSON.parse(text((await runSync(['log', 'Risotto.cook', '--json'], {cwd: a})).stdout)).versions.length, 3)
  t.regex(text((await runSync(['log', 'Risotto.cook'], {cwd: a})).stdout), /^ +\d+  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  a /m, 'times say they are UTC')
  // Absent things are exit 1, said in one line.
  const never = await runSync(['log', 'Never.cook'], {cwd: a})
  t.is(never.exitCode, 1)
  t.is(text(never.stderr), "error: Never.cook has no history on the server (never synced, or not this path's name)\n")
  const noVersion = await runSync(['restore', 'Risotto.cook', '--jid', '99999'], {cwd: a})
  t.is(noVersion.exitCode, 1)
  t.is(text(noVersion.stderr), "error: there is no version 99999 in this namespace; 'sync log Risotto.cook' lists those of Risotto.cook\n")
})

test('a crash between writing a download and renaming it leaves no partial file and loses no edit', async (t) => {
  const {device} = await setup(t)
  const a = await device('a', {cookbook: true})
  const b = await device('b', {cookbook: true})
  await runSync(['once'], {cwd: a})
  await runSync(['once'], {cwd: b})
  await writeFile(path.join(a, 'Risotto.cook'), 'from a, new\n')
  await writeFile(path.join(b, 'Thai Green Curry.cook'), 'edited on b, not sent yet\n')
  await runSync(['once'], {cwd: a})
  const crashed = await runSync(['once'], {cwd: b, env: {SYNC_CRASH_AT: 'after-temp-before-rename'}})
  t.is(crashed.signal, 'SIGKILL')
  t.is(await readFile(path.join(b, 'Risotto.cook'), 'utf8'), await readFile(path.join(cookbookFixture, 'Risotto.cook'), 'utf8'), 'the old version, whole')
  t.is(await readFile(path.join(b, 'Thai Green Curry.cook'), 'utf8'), 'edited on b, not sent yet\n')
  const again = await runSync(['once'], {cwd: b})
  t.is(again.exitCode, 0, text(again.stderr))
  await runSync(['once'], {cwd: a})
  t.deepEqual(await files(a), await files(b))
  t.is(await readFile(path.join(a, 'Thai Green Curry.cook'), 'utf8'), 'edited on b, not sent yet\n')
  t.is(await readFile(path.join(b, 'Risotto.cook'), 'utf8'), 'from a, new\n')
  t.false(
    (await readdir(b)).some((name) => name.endsWith('.tmp')),
    'the temp file of the crashed run is cleaned up',
  )
})

for (const fastPath of [true, false]) {
  test(`once with the server down exits 8 with one line; once with a name the server refuses exits 11 (${fastPath ? 'fast path' : 'oclif'})`, async (t) => {
    const env: Record<string, string> = fastPath ? {} : {SYNC_NO_FAST_PATH: '1'}
    const {device, server} = await setup(t)
    const a = await device('a')
    await writeFile(path.join(a, 'back\\slash.cook'), 'x\n')
    await writeFile(path.join(a, 'fine.cook'), 'y\n')
    const refused = await runSync(['once'], {cwd: a, env})
    t.is(refused.exitCode, 11)
    t.regex(text(refused.stderr), /back\\slash\.cook \(it contains a backslash\)/)
    t.regex(text(refused.stdout), /sent fine\.cook/)
    await server.stop()
    const down = await runSync(['once'], {cwd: a, env})
    t.is(down.exitCode, 8)
    t.is(text(down.stderr).trim().split('\n').length, 1)
    t.regex(text(down.stderr), /^error: /)
  })
}

test('two daemons carry a change both ways; sync once beside a daemon is run by it', async (t) => {
  const {device} = await setup(t)
  const a = await device('a', {cookbook: true})
  const b = await device('b')
  const daemons = [a, b].map((root) => execa('node', [syncBin, 'daemon', '--debounce', '10'], {cwd: root, reject: false}))
  t.teardown(() => daemons.forEach((d) => d.kill('SIGKILL')))
  // Bounds are generous: CI runs this beside the chaos tests on two cores.
  await waitFor(
    'the cookbook on b',
    () =>
      readFile(path.join(b, 'README.md')).then(
        () => true,
        () => false,
      ),
    90_000,
  )
  await writeFile(path.join(a, 'Risotto.cook'), 'a to b\n')
  await waitFor('a → b', () => fileIs(path.join(b, 'Risotto.cook'), 'a to b\n'), 45_000)
  await writeFile(path.join(b, 'Risotto.cook'), 'b to a\n')
  await waitFor('b → a', () => fileIs(path.join(a, 'Risotto.cook'), 'b to a\n'), 45_000)
  // `sync once` beside a daemon: the daemon runs the pass.
  const handed = await runSync(['once'], {cwd: a})
  t.is(handed.exitCode, 0, text(handed.stderr))
  t.regex(text(handed.stdout), /^in sync at jid \d+: .*\(by the daemon syncing this folder, pid \d+\)\n$/)
  for (const daemon of daemons) daemon.kill('SIGTERM')
  const [doneA] = await Promise.all(daemons)
  t.is(doneA.exitCode, 0)
  t.regex(String(doneA.stdout), /sent Risotto\.cook/)
  t.regex(String(doneA.stdout), /received Risotto\.cook/)
})
