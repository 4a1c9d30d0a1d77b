/**
 * `sync restore` while a daemon syncs the folder: handed to the daemon, which carries it out between its passes;
 * the command prints what it did and exits as if it had done it. A local edit is never overwritten. `sync once` too:
 * the daemon runs the pass.
 */
import {readdir, readFile, readlink, rename, rm, symlink, unlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {cookbookFixture} from '../helpers/temp.js'
import {fileIs, waitFor} from '../helpers/wait-for.js'

/**
 * Saves as an editor does (a temp file renamed over the old one): a plain write truncates first, and a daemon
 * slowed by a loaded machine may send the empty file between the two as a version of its own.
 */
const save = async (file: string, content: string) => {
  await writeFile(`${file}.tmp~`, content)
  await rename(`${file}.tmp~`, file)
}

const history = async (dir: string, file: string) =>
  (JSON.parse(text((await runSync(['log', file, '--json'], {cwd: dir})).stdout)) as {versions: {jid: number}[]}).versions

test('restore PATH --jid N with a daemon running: the daemon carries it out, the command reports it; a bad jid exits 1 as without a daemon', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a', {cookbook: true})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const daemon = await startCliDaemon(t, a)
  const original = await readFile(path.join(cookbookFixture, 'Risotto.cook'), 'utf8')
  await save(path.join(a, 'Risotto.cook'), 'risotto, version two\n')
  await daemon.said('sent Risotto.cook')
  const first = (await history(a, 'Risotto.cook')).at(-1)!.jid
  // An edit the daemon has not sent yet when the restore comes: sent first, so it stays in the history.
  await save(path.join(a, 'Risotto.cook'), 'risotto, version three\n')
  const restore = await runSync(['restore', 'Risotto.cook', '--jid', String(first), '--json'], {cwd: a})
  t.is(restore.exitCode, 0, text(restore.stderr))
  const result = JSON.parse(text(restore.stdout))
  t.like(result, {restored: ['Risotto.cook'], version: first, handedTo: daemon.pid})
  t.is(await readFile(path.join(a, 'Risotto.cook'), 'utf8'), original)
  const versions = await history(a, 'Risotto.cook')
  t.is(versions[0].jid, result.jid, 'the restore is the newest version')
  t.is(versions.length, 4, 'the original, version two, version three (the edit, not lost) and the restore')
  const plain = await runSync(['restore', 'Risotto.cook', '--jid', String(first)], {cwd: a})
  t.is(plain.exitCode, 0)
  t.regex(text(plain.stdout), new RegExp(`^restored Risotto\\.cook to version ${first}, sent as jid \\d+\\n$`))

  const noVersion = await runSync(['restore', 'Risotto.cook', '--jid', '99999'], {cwd: a})
  t.is(noVersion.exitCode, 1)
  t.is(text(noVersion.stderr), "error: there is no version 99999 in this namespace; 'sync log Risotto.cook' lists those of Risotto.cook\n")
  t.true(daemon.output.text.includes('watching'), 'the daemon still runs')
})

test('restore --deleted-since and DIR/ --jid N with a daemon running are carried out by it', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a', {cookbook: true})
  const b = await device('b')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const daemon = await startCliDaemon(t, a)
  await rm(path.join(a, 'Breakfast', 'Easy Pancakes.cook'))
  await daemon.said('sent deletion of Breakfast/Easy Pancakes.cook')
  const back = await runSync(['restore', '--deleted-since', '31', '--json'], {cwd: a})
  t.is(back.exitCode, 0, text(back.stderr))
  t.like(JSON.parse(text(back.stdout)), {restored: ['Breakfast/Easy Pancakes.cook'], skipped: [], handedTo: daemon.pid})
  const pancakes = await readFile(path.join(cookbookFixture, 'Breakfast', 'Easy Pancakes.cook'), 'utf8')
  t.is(await readFile(path.join(a, 'Breakfast', 'Easy Pancakes.cook'), 'utf8'), pancakes)
  await writeFile(path.join(a, 'Breakfast', 'Easy Pancakes.cook'), 'changed\n')
  await daemon.said('sent Breakfast/Easy Pancakes.cook')
  const folder = await runSync(['restore', 'Breakfast/', '--jid', '31'], {cwd: a})
  t.is(folder.exitCode, 0, text(folder.stderr))
  t.is(text(folder.stdout), 'restored 1 files\n')
  t.is(await readFile(path.join(a, 'Breakfast', 'Easy Pancakes.cook'), 'utf8'), pancakes)
  // And the other device gets it, as from any restore.
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.true(await fileIs(path.join(b, 'Breakfast', 'Easy Pancakes.cook'), pancakes))
  await waitFor('nothing left to send', async () => JSON.parse(text((await runSync(['status', '--json'], {cwd: a})).stdout)).pendingUploads.length === 0)
})

test('a daemon that does not take the restore within --wait: exit 12, said so, nothing left for it to do later', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a', {cookbook: true})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const daemon = await startCliDaemon(t, a)
  process.kill(daemon.pid, 'SIGSTOP')
  t.teardown(() => process.kill(daemon.pid, 'SIGCONT'))
  const late = await runSync(['restore', 'Risotto.cook', '--jid', '1', '--wait', '1'], {cwd: a})
  t.is(late.exitCode, 12)
  t.is(
    text(late.stderr),
    `error: the sync process (pid ${daemon.pid}) syncing ${a} did not take this within 1 s (a long pass?); nothing was done: run it again\n`,
  )
  t.deepEqual(
    (await readdir(path.join(a, '.sync'))).filter((name) => /^(request|answer)-/.test(name)),
    [],
  )
  process.kill(daemon.pid, 'SIGCONT')
  const restore = await runSync(['restore', 'Breakfast/', '--jid', '31', '--json'], {cwd: a})
  t.is(restore.exitCode, 0, text(restore.stderr))
  t.like(JSON.parse(text(restore.stdout)), {restored: [], skipped: [], handedTo: daemon.pid})
})

test('sync once with a daemon running: the daemon runs the pass and the command exits when it is done; another once is refused; a daemon that dies first leaves it to the command', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a', {cookbook: true})
  const b = await device('b')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const daemon = await startCliDaemon(t, b)
  await writeFile(path.join(a, 'Risotto.cook'), 'risotto from a\n')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  // When `sync once` returns on b, the pass it asked for has read the journal: the edit is there.
  const handed = await runSync(['once', '--json'], {cwd: b})
  t.is(handed.exitCode, 0, text(handed.stderr))
  t.like(JSON.parse(text(handed.stdout)), {inSync: true, handedTo: daemon.pid})
  t.is(await readFile(path.join(b, 'Risotto.cook'), 'utf8'), 'risotto from a\n')
  t.regex(daemon.output.text, /carrying out|received Risotto\.cook/)

  // A folder held by a process that takes no requests (another `sync once`): refused as before, at once.
  await daemon.stop()
  const holder = execa('sleep', ['60'], {reject: false})
  t.teardown(() => holder.kill('SIGKILL'))
  await symlink(String(holder.pid), path.join(b, '.sync', 'sync.lock'))
  const busy = await runSync(['once'], {cwd: b})
  t.is(busy.exitCode, 12)
  t.is(text(busy.stderr), `error: another sync process (pid ${holder.pid}) is syncing ${b}; stop it or wait for it\n`)
  await unlink(path.join(b, '.sync', 'sync.lock'))

  // The daemon stops before it takes the pass: the command runs it itself.
  const frozen = await startCliDaemon(t, b)
  // Known as a daemon by its status file (a process holding the lock without one takes no requests).
  await waitFor('its status', async () => (await readFile(path.join(b, '.sync', 'daemon-status.json'), 'utf8').catch(() => '')).includes(`"pid":${frozen.pid}`))
  process.kill(frozen.pid, 'SIGSTOP')
  await writeFile(path.join(a, 'Risotto.cook'), 'risotto from a, again\n')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const waiting = runSync(['once', '--json'], {cwd: b})
  await waitFor('the request', async () => (await readdir(path.join(b, '.sync'))).some((name) => name.startsWith('request-')))
  process.kill(frozen.pid, 'SIGKILL')
  const itself = await waiting
  t.is(itself.exitCode, 0, text(itself.stderr))
  const result = JSON.parse(text(itself.stdout))
  t.is(result.handedTo, undefined)
  t.like(result, {inSync: true, downloaded: 1})
  t.is(await readFile(path.join(b, 'Risotto.cook'), 'utf8'), 'risotto from a, again\n')
})

test('a daemon is known by its lock from its first instant: sync once hands it the pass before its status file exists', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a', {cookbook: true})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const daemon = await startCliDaemon(t, a)
  t.regex(await readlink(path.join(a, '.sync', 'sync.lock')), new RegExp(`^${daemon.pid}:daemon:\\d+\\.\\d+$`), 'its pid, role and the .sync/ it holds')
  // As in the moment between the daemon taking the lock and writing its status: only the lock says it is there.
  await unlink(path.join(a, '.sync', 'daemon-status.json'))
  await writeFile(path.join(a, 'Risotto.cook'), 'risotto, edited while the daemon starts\n')
  const handed = await runSync(['once', '--json'], {cwd: a})
  t.is(handed.exitCode, 0, text(handed.stderr))
  t.like(JSON.parse(text(handed.stdout)), {inSync: true, handedTo: daemon.pid})
  await daemon.stop()

  // A holder that says it is a daemon is asked, and waited for (here it never takes the pass: --wait runs out).
  const holder = execa('sleep', ['60'], {reject: false})
  t.teardown(() => holder.kill('SIGKILL'))
  await symlink(`${holder.pid}:daemon`, path.join(a, '.sync', 'sync.lock'))
  const asked = await runSync(['once', '--wait', '1'], {cwd: a})
  t.is(asked.exitCode, 12)
  t.regex(text(asked.stderr), new RegExp(`^error: the sync process \\(pid ${holder.pid}\\) syncing .* did not take this within 1 s`))
  t.deepEqual(
    (await readdir(path.join(a, '.sync'))).filter((name) => name.startsWith('request-')),
    [],
    'the request it did not take is withdrawn',
  )
})
