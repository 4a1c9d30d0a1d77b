/**
 * The network plumbing as scripts use it: the `sync` CLI as a subprocess against a real server (in the
 * test's process) on an ephemeral loopback port.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {runSync, text} from '../helpers/cli.js'
import {cookbookFixture, tempDir} from '../helpers/temp.js'
import {startTestServer} from '../helpers/server.js'
import {initDevice} from '../helpers/cli-namespace.js'

const risotto = path.join(cookbookFixture, 'Risotto.cook')

async function world(t: ExecutionContext) {
  const server = await startTestServer(t)
  const token = await server.token()
  const device = async (name: string) => {
    // As `sync init DIR --device NAME --server URL --namespace recipes --token T` leaves it (init has tests of its own).
    return initDevice(path.join(await tempDir(t), name), {url: server.url, namespace: 'recipes', token, device: name})
  }
  return {server, token, device}
}

const lines = (output: unknown) => text(output).trim().split('\n').filter(Boolean)

test('hashify, commit, upload what is missing, commit again; on another folder list, fetch, save', async (t) => {
  const {device} = await world(t)
  const laptop = await device('laptop')
  const phone = await device('phone')

  const ids = text((await runSync(['hashify', risotto], {cwd: laptop})).stdout)
  const first = await runSync(['commit', 'Risotto.cook'], {cwd: laptop, input: ids})
  t.is(first.exitCode, 3)
  const missing = lines(first.stdout)
  t.deepEqual([...missing].sort(), [...new Set(lines(ids))].sort())
  t.regex(text(first.stderr), /^error: \d+ chunks missing from the server/)
  const upload = await runSync(['upload'], {cwd: laptop, input: text(first.stdout)})
  t.is(upload.exitCode, 0, text(upload.stderr))
  const second = await runSync(['commit', 'Risotto.cook'], {cwd: laptop, input: ids})
  t.is(second.exitCode, 0, text(second.stderr))
  t.is(text(second.stdout), '1\n')
  // The same version again is no change: the same JID.
  t.is(text((await runSync(['commit', 'Risotto.cook', ...lines(ids)], {cwd: laptop})).stdout), '1\n')

  const listed = await runSync(['list'], {cwd: phone})
  t.is(text(listed.stdout), '1 file Risotto.cook\n')
  const {entries, last} = JSON.parse(text((await runSync(['list', '--json'], {cwd: phone})).stdout))
  t.is(last, 1)
  t.like(entries[0], {jid: 1, path: 'Risotto.cook', kind: 'file', size: 1535, device: 'laptop'})
  t.regex(entries[0].time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'ISO 8601, as log --json')
  const wanted = `${entries[0].ids.join('\n')}\n`
  const fetched = await runSync(['fetch'], {cwd: phone, input: wanted})
  t.is(fetched.exitCode, 0, text(fetched.stderr))
  const saved = await runSync(['save', 'Risotto.cook'], {cwd: phone, input: wanted})
  t.is(saved.exitCode, 0, text(saved.stderr))
  t.true((await readFile(path.join(phone, 'Risotto.cook'))).equals(await readFile(risotto)))
})

test('a stale base is exit 4 with the head on stdout; list --wait gets the next change', async (t) => {
  const {device} = await world(t)
  const laptop = await device('laptop')
  const phone = await device('phone')
  const deleted = await runSync(['commit', 'gone.cook', '--deleted'], {cwd: laptop})
  t.is(text(deleted.stdout), '0\n')
  const ids = text((await runSync(['hashify', risotto], {cwd: laptop})).stdout)
  await runSync(['upload'], {cwd: laptop, input: ids})
  t.is(text((await runSync(['commit', 'Risotto.cook'], {cwd: laptop, input: ids})).stdout), '1\n')

  const stale = await runSync(['commit', 'Risotto.cook', '--deleted'], {cwd: phone})
  t.is(stale.exitCode, 4)
  t.is(text(stale.stdout), '1 file Risotto.cook\n')
  t.is(lines(stale.stderr).length, 1)
  t.regex(text(stale.stderr), /conflict: Risotto\.cook moved past a new file; its head is JID 1/)
  const json = await runSync(['commit', 'Risotto.cook', '--deleted', '--json'], {cwd: phone})
  t.is(json.exitCode, 4)
  t.like(JSON.parse(text(json.stdout)).error, {code: 'E_CONFLICT', data: {head: {jid: 1, path: 'Risotto.cook'}}})

  const waiting = runSync(['list', '--since', '1', '--wait', '30'], {cwd: phone})
  t.is(text((await runSync(['commit', 'Risotto.cook', '--deleted', '--base', '1'], {cwd: laptop})).stdout), '2\n')
  t.is(text((await waiting).stdout), '2 deleted Risotto.cook\n')
})

test('settings: env overrides the folder; no server, bad token, no server running are one-line errors with their exit codes', async (t) => {
  const {device, server, token} = await world(t)
  const laptop = await device('laptop')
  const unreachable = await runSync(['list'], {cwd: laptop, env: {SYNC_SERVER: 'http://127.0.0.1:9'}})
  t.is(unreachable.exitCode, 8)
  t.regex(text(unreachable.stderr), /^error: cannot talk to http:\/\/127\.0\.0\.1:9: ECONNREFUSED\n$/)
  const badToken = await runSync(['list'], {cwd: laptop, env: {SYNC_TOKEN: 'nope'}})
  t.is(badToken.exitCode, 9)
  t.is(lines(badToken.stderr).length, 1)
  const otherNamespace = await runSync(['list'], {cwd: laptop, env: {SYNC_NAMESPACE: 'other'}})
  t.is(otherNamespace.exitCode, 9)

  const bare = await tempDir(t)
  t.is((await runSync(['init', bare])).exitCode, 0)
  const unset = await runSync(['list'], {cwd: bare})
  t.is(unset.exitCode, 2)
  t.regex(text(unset.stderr), /no server configured/)
  const fromEnv = await runSync(['list'], {cwd: bare, env: {SYNC_SERVER: server.url, SYNC_NAMESPACE: 'recipes', SYNC_TOKEN: token}})
  t.is(fromEnv.exitCode, 0, text(fromEnv.stderr))
  t.is(text(fromEnv.stdout), '')

  const partial = await runSync(['init', await tempDir(t), '--server', server.url])
  t.is(partial.exitCode, 2)
  t.regex(text(partial.stderr), /all three/)
  const badUrl = await runSync(['init', await tempDir(t), '--server', 'ftp://x', '--namespace', 'a', '--token', 'b'])
  t.is(badUrl.exitCode, 2)
  const badPath = await runSync(['commit', '../up.cook', '--deleted'], {cwd: laptop})
  t.is(badPath.exitCode, 2)
  t.regex(text(badPath.stderr), /invalid path/)
})

test('every network command has --help with examples, and --json', async (t) => {
  for (const command of ['commit', 'list', 'fetch', 'upload', 'init']) {
    const help = await runSync([command, '--help'])
    t.is(help.exitCode, 0, command)
    t.regex(text(help.stdout), /EXAMPLES/, command)
    t.regex(text(help.stdout), /--json/, command)
  }
  const init = text((await runSync(['init', '--help'])).stdout)
  for (const flag of ['--server=URL', '--namespace=NS', '--token=TOKEN']) t.true(init.includes(flag), flag)
})
