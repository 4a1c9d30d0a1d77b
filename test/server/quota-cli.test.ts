/**
 * A namespace's quota end to end: the operator sets it with `sync-server namespace set --quota` (bad values
 * refused, nothing changed) and sees it with `show`; a device whose photo does not fit is told so by `sync once`
 * (exit 11, the file named, the quota in the reason) and by `sync status`, while its recipe still goes. Real
 * `sync-server namespace` and `sync` subprocesses beside a real server on a loopback port.
 */
import {randomBytes} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {runSync, text} from '../helpers/cli.js'
import {runServer} from './support/server-process.js'

test('the operator sets a quota and sees its use; a device is told which file does not fit, and the rest goes', async (t) => {
  const {data, device} = await cliNamespace(t)
  const quota = (...args: string[]) => runServer(['namespace', ...args, '--data', data])
  const set = await quota('set', 'recipes', '--quota', '1M')
  t.is(set.exitCode, 0, String(set.stderr))
  t.is(String(set.stdout).split('\n')[1], 'quota: 1.0 MiB; its packs take 0 KiB (0%)')
  for (const [value, error] of [
    ['12x', /^error: --quota: a size like 500M, 5G or 1T \(k = 1024\), or none; not "12x"$/m],
    ['100k', /^error: a quota is at least 1M/m],
  ] as const) {
    const bad = await quota('set', 'recipes', '--quota', value, '--keep-days', '7')
    t.is(bad.exitCode, 2)
    t.regex(String(bad.stderr), error)
  }
  t.like(JSON.parse(String((await quota('show', 'recipes', '--json')).stdout)), {retention: {keepDays: 30}, quota: 1024 ** 2, used: 0}, 'nothing changed')

  const root = await device('laptop')
  await writeFile(path.join(root, 'pasta.cook'), 'Boil the @pasta{500%g}.\n')
  await writeFile(path.join(root, 'photo.jpg'), randomBytes(2 * 1024 ** 2))
  const once = await runSync(['once'], {cwd: root})
  t.is(once.exitCode, 11, text(once.stderr))
  t.regex(text(once.stdout), /^cannot sync photo\.jpg: the server is out of space: namespace "recipes" is at its quota: .* of 1\.0 MiB kept/m)
  t.regex(text(once.stderr), /^error: not in sync yet: photo\.jpg \(the server is out of space/)
  t.regex(text(once.stdout), /^sent pasta\.cook \(jid 1\)$/m, 'the recipe fits, and goes')
  const status = text((await runSync(['status'], {cwd: root})).stdout)
  t.regex(status, /^ {2}photo\.jpg \(not taken by the server: the server is out of space: namespace "recipes" is at its quota/m)
  const shown = JSON.parse(String((await quota('show', 'recipes', '--json')).stdout))
  t.true(shown.used > 0 && shown.used < 1024 ** 2, `the recipe's pack counted: ${shown.used}`)
  // A running server reads the change within seconds (test/server/quotas.test.ts).
  const none = await quota('set', 'recipes', '--quota', 'none')
  t.is(String(none.stdout).split('\n')[1], `quota: none; its packs take ${Math.ceil(shown.used / 1024)} KiB`)
})
