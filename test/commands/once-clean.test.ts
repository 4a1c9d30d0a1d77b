/**
 * `sync once` on a folder in sync answers from the clean snapshot (.sync/clean) without running a pass; every
 * kind of change must still get through: edits (also one that keeps size and mtime), new and deleted files,
 * news on the server, and a second sync process is still refused. `sync` as a subprocess against a real server on a loopback port.
 */
import {existsSync} from 'node:fs'
import {cp, readFile, rm, stat, utimes, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {runSync, syncBin, text} from '../helpers/cli.js'
import {cookbookFixture, tempDir} from '../helpers/temp.js'
import {waitFor} from '../helpers/wait-for.js'
import {startTestServer} from '../helpers/server.js'

test('once on a folder in sync answers from the snapshot, and every change still gets through', async (t) => {
  const work = await tempDir(t)
  const server = await startTestServer(t)
  const token = await server.token()
  const [a, b] = ['a', 'b'].map((name) => path.join(work, name))
  await cp(cookbookFixture, a, {recursive: true})
  for (const root of [a, b]) t.is((await runSync(['init', root, '--server', server.url, '--namespace', 'recipes', '--token', token])).exitCode, 0)
  const once = async (root: string) => {
    const result = await runSync(['once'], {cwd: root})
    t.is(result.exitCode, 0, text(result.stderr))
    return text(result.stdout)
  }
  const snapshot = (root: string) => path.join(root, '.sync', 'clean')
  await once(a)
  await once(b)
  t.true(existsSync(snapshot(a)) && existsSync(snapshot(b)), 'a pass that leaves nothing to do writes the snapshot')
  t.is(await once(b), 'in sync at jid 31: 0 sent, 0 received, 0 deleted, 0 moved, 0 merged, 0 conflicts\n')
  // A bad flag is refused though nothing would read it: the folder needs no pass.
  const badRate = await runSync(['once', '--limit-down', '5zz'], {cwd: b})
  t.is(badRate.exitCode, 2)
  t.is(text(badRate.stderr), 'error: a rate is bytes per second, at least 1k, like 500k or 2M (or off), not "5zz"\n')

  // An edit on a; b has not changed, but the server has news for it.
  await writeFile(path.join(a, 'Risotto.cook'), 'risotto, version two\n')
  t.regex(await once(a), /sent Risotto\.cook/)
  t.regex(await once(b), /received Risotto\.cook/)
  t.is(await readFile(path.join(b, 'Risotto.cook'), 'utf8'), 'risotto, version two\n')

  // Same size, mtime put back (a whole second, an hour ago): only the ctime tells.
  const file = path.join(a, 'Risotto.cook')
  const anHourAgo = Math.floor(Date.now() / 1000) - 3600
  await utimes(file, anHourAgo, anHourAgo)
  t.is(await once(a), 'in sync at jid 32: 0 sent, 0 received, 0 deleted, 0 moved, 0 merged, 0 conflicts\n')
  await writeFile(file, 'risotto, version 2!!\n')
  await utimes(file, anHourAgo, anHourAgo)
  t.is((await stat(file)).mtimeMs, anHourAgo * 1000)
  t.regex(await once(a), /sent Risotto\.cook/)

  // A new file and a deleted one.
  await once(b)
  await writeFile(path.join(b, 'New.cook'), 'new\n')
  await rm(path.join(b, 'README.md'))
  const out = await once(b)
  t.regex(out, /sent New\.cook/)
  t.regex(out, /sent deletion of README\.md/)
  t.regex(await once(a), /received New\.cook/)
  t.false(existsSync(path.join(a, 'README.md')))

  // The snapshot does not get past the lock: with a daemon syncing the folder, the pass is its to run.
  t.true(existsSync(snapshot(a)))
  const daemon = execa('node', [syncBin, 'daemon'], {cwd: a, reject: false})
  t.teardown(() => daemon.kill('SIGKILL'))
  let out2 = ''
  daemon.stdout!.on('data', (d: Buffer) => (out2 += d.toString()))
  await waitFor('the daemon to start', () => out2.includes('watching'), 30_000)
  const handed = await runSync(['once'], {cwd: a})
  t.is(handed.exitCode, 0, text(handed.stderr))
  t.regex(text(handed.stdout), new RegExp(`^in sync at jid \\d+: .*\\(by the daemon syncing this folder, pid ${daemon.pid}\\)\\n$`))
  daemon.kill('SIGTERM')
  await daemon
})
