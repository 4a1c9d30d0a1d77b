/**
 * A copy of a folder made while its daemon runs (`cp -a`: a backup restored beside it) carries the daemon's lock
 * along: `sync once` in the copy syncs the copy itself instead of handing its pass to a daemon that never sees
 * the copy (it used to wait --wait seconds, 300 by default, for an answer that never came).
 */
import {cp, readFile, readlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {initDevice} from '../helpers/cli-namespace.js'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {runSync, text} from '../helpers/cli.js'
import {startTestServer} from '../helpers/server.js'
import {tempDir} from '../helpers/temp.js'
import {waitFor} from '../helpers/wait-for.js'

test("sync once in a copy of a folder whose daemon runs syncs the copy itself; the daemon keeps the original's lock", async (t) => {
  const server = await startTestServer(t)
  const work = await tempDir(t)
  const a = await initDevice(path.join(work, 'a'), {url: server.url, namespace: 'recipes', token: await server.token(), device: 'a'})
  await writeFile(path.join(a, 'soup.cook'), 'Soup\n')
  const daemon = await startCliDaemon(t, a)
  await daemon.said('sent soup.cook')
  // Copied while the daemon holds its lock but writes nothing: paused, its pass in flight over (a copy made while
  // it writes may hold half a pack, as any copy of a database being written may).
  t.is((await runSync(['pause'], {cwd: a})).exitCode, 0)
  await waitFor('the daemon to say it paused', async () => (await daemonState(a)) === 'paused')
  const copy = path.join(work, 'a-copy')
  // As `cp -a` does, less the daemon's temp files (they come and go while it runs: cp fails on one that went) and
  // the pause, which the copy does not share.
  await cp(a, copy, {recursive: true, verbatimSymlinks: true, preserveTimestamps: true, filter: (source) => !/\.tmp$|\/paused$/.test(source)})
  t.regex(await readlink(path.join(copy, '.sync', 'sync.lock')), new RegExp(`^${daemon.pid}:daemon:`), 'the copy carries the daemon lock')

  await writeFile(path.join(copy, 'bread.cook'), 'Bread, written in the copy\n')
  const once = await runSync(['once', '--wait', '20'], {cwd: copy})
  t.is(once.exitCode, 0, text(once.stderr))
  t.regex(text(once.stdout), /sent bread\.cook/)
  t.notRegex(text(once.stdout), /daemon/, 'not handed to the daemon of the original')
  t.regex(await readlink(path.join(a, '.sync', 'sync.lock')), new RegExp(`^${daemon.pid}:daemon:`), "the original's lock is the daemon's still")
  t.is((await runSync(['resume'], {cwd: a})).exitCode, 0)
  await daemon.said('bread.cook')
})

/** What the folder's daemon says it is doing (.sync/daemon-status.json), if it says anything yet. */
const daemonState = (root: string) =>
  readFile(path.join(root, '.sync', 'daemon-status.json'), 'utf8').then(
    (text) => (JSON.parse(text) as {state: string}).state,
    () => undefined,
  )
