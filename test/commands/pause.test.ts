/**
 * `sync pause` / `sync resume` and what `sync status` says of a running daemon, as users run them: a daemon
 * subprocess, a real server, another device.
 */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {runSync, syncBin, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {fileIs, waitFor} from '../helpers/wait-for.js'

const status = async (dir: string) => JSON.parse(text((await runSync(['status', '--json'], {cwd: dir})).stdout))

test('pause stops a running daemon syncing until resume, across a restart; status says so; once exits 18 unless --force', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const b = await device('b')
  let daemon = await startCliDaemon(t, a)
  await waitFor('the daemon idle', async () => (await status(a)).daemon?.state === 'idle')
  t.like((await status(a)).daemon, {pid: daemon.pid, state: 'idle'})
  t.regex(text((await runSync(['status'], {cwd: a})).stdout), new RegExp(`^daemon \\(pid ${daemon.pid}\\): idle for \\d+ s$`, 'm'))

  const pause = await runSync(['pause', '--json'], {cwd: a})
  t.is(pause.exitCode, 0, text(pause.stderr))
  t.like(JSON.parse(text(pause.stdout)), {paused: true, changed: true, daemon: {pid: daemon.pid, following: true}})
  await daemon.said("paused ('sync resume' to sync again)")
  await writeFile(path.join(a, 'Soup.cook'), 'Soup\n')
  const paused = await status(a)
  t.like(paused.daemon, {state: 'paused'})
  t.is(typeof paused.pausedSince, 'number')
  t.regex(text((await runSync(['status'], {cwd: a})).stdout), /^paused since \d{4}-.*: nothing syncs until 'sync resume'$/m)

  // Stopped and started again: still paused (the pause is in .sync), and it says so.
  await daemon.stop()
  t.is(text((await runSync(['pause'], {cwd: a})).stdout), `${a} was already paused (since ${new Date(paused.pausedSince).toISOString()})\n`)
  const once = await runSync(['once'], {cwd: a})
  t.is(once.exitCode, 18)
  t.regex(text(once.stderr), /^error: .* is paused \(since .*\): 'sync resume' syncs it again\n$/)
  daemon = await startCliDaemon(t, a)
  await daemon.said('paused')
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.false(await fileIs(path.join(b, 'Soup.cook'), 'Soup\n'), 'nothing was sent while paused')
  t.deepEqual((await status(a)).pendingUploads, [{path: 'Soup.cook', change: 'new'}])

  const resume = await runSync(['resume', '--json'], {cwd: a})
  t.is(resume.exitCode, 0, text(resume.stderr))
  t.like(JSON.parse(text(resume.stdout)), {paused: false, changed: true, daemon: {pid: daemon.pid, following: true}})
  await daemon.said('sent Soup.cook')
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.true(await fileIs(path.join(b, 'Soup.cook'), 'Soup\n'))
  t.is(text((await runSync(['resume'], {cwd: a})).stdout), `${a} was not paused\n`)
  await daemon.stop()
  t.is((await status(a)).daemon, undefined, 'a stopped daemon says nothing')
})

test('once --force syncs a paused folder, which stays paused; restore on a paused folder exits 18', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  t.is((await runSync(['pause'], {cwd: a})).exitCode, 0)
  await writeFile(path.join(a, 'Soup.cook'), 'Soup\n')
  const forced = await runSync(['once', '--force', '--json'], {cwd: a})
  t.is(forced.exitCode, 0, text(forced.stderr))
  t.like(JSON.parse(text(forced.stdout)), {inSync: true, uploaded: 1})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 18)
  const restore = await runSync(['restore', 'Soup.cook', '--jid', '1', '--json'], {cwd: a})
  t.is(restore.exitCode, 18)
  t.like(JSON.parse(text(restore.stdout)), {error: {code: 'E_PAUSED'}})
})

test('the pause and resume help examples run as shown', async (t) => {
  const {device, work} = await cliNamespace(t)
  const a = await device('a')
  await writeFile(path.join(a, 'Risotto.cook'), 'risotto\n')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  // ~/Recipes in the examples is this folder.
  const env = {HOME: work}
  await execa('ln', ['-s', a, path.join(work, 'Recipes')])
  for (const command of ['pause', 'resume']) {
    const help = text((await runSync([command, '--help'])).stdout)
    const examples = [...help.matchAll(/^ {4}\$ sync (.*)$/gm)].map((m) => m[1])
    t.true(examples.length >= 2, command)
    for (const example of examples) {
      const run = await execa('bash', ['-c', `sync() { node '${syncBin}' "$@"; }; sync ${example}`], {cwd: a, reject: false, env})
      t.is(run.exitCode, 0, `sync ${example}: ${String(run.stderr)}`)
    }
  }
})
