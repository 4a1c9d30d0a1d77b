/**
 * A copy of a folder made while its daemon runs (`cp -a`: a backup restored beside it) carries the daemon's lock
 * along: `sync once` in the copy syncs the copy itself instead of handing its pass to a daemon that never sees
 * the copy (it used to wait --wait seconds, 300 by default, for an answer that never came).
 */
import {readlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {initDevice} from '../helpers/cli-namespace.js'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {runSync, text} from '../helpers/cli.js'
import {startTestServer} from '../helpers/server.js'
import {tempDir} from '../helpers/temp.js'

test("sync once in a copy of a folder whose daemon runs syncs the copy itself; the daemon keeps the original's lock", async (t) => {
  const server = await startTestServer(t)
  const work = await tempDir(t)
  const a = await initDevice(path.join(work, 'a'), {url: server.url, namespace: 'recipes', token: await server.token(), device: 'a'})
  await writeFile(path.join(a, 'soup.cook'), 'Soup\n')
  const daemon = await startCliDaemon(t, a)
  await daemon.said('sent soup.cook')
  const copy = path.join(work, 'a-copy')
  await execa('cp', ['-a', a, copy])
  t.regex(await readlink(path.join(copy, '.sync', 'sync.lock')), new RegExp(`^${daemon.pid}:daemon:`), 'the copy carries the daemon lock')

  await writeFile(path.join(copy, 'bread.cook'), 'Bread, written in the copy\n')
  const once = await runSync(['once', '--wait', '20'], {cwd: copy})
  t.is(once.exitCode, 0, text(once.stderr))
  t.regex(text(once.stdout), /sent bread\.cook/)
  t.notRegex(text(once.stdout), /daemon/, 'not handed to the daemon of the original')
  t.regex(await readlink(path.join(a, '.sync', 'sync.lock')), new RegExp(`^${daemon.pid}:daemon:`), "the original's lock is the daemon's still")
  await daemon.said('bread.cook')
})
