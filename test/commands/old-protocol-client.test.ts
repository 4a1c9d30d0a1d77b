/**
 * An old-protocol client against a newer server, as users run them: a real server on a loopback port (announcing a newer client with
 * latestClient, what SYNC_SERVER_LATEST_CLIENT sets) and `sync` as a subprocess. The old client is the real one with its announced protocol
 * forced to 1 (SYNC_TEST_ANNOUNCE_PROTOCOL, for tests only): it receives, sends nothing (exit 19 with the command that
 * updates it), is never handed a tree manifest, and is told a newer client exists; an up-to-date device is unaffected.
 */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {updateCommand} from '#src/protocol/update-command.js'
import {runSync, text} from '../helpers/cli.js'
import {cookbookFixture, tempDir} from '../helpers/temp.js'
import {startTestServer} from '../helpers/server.js'
import {startCliDaemon} from '../helpers/cli-daemon.js'

const OLD = {SYNC_TEST_ANNOUNCE_PROTOCOL: '1'}
const UPDATE = `update this sync with '${updateCommand('0.2.0')}'`
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const exists = (file: string) =>
  readFile(file).then(
    () => true,
    () => false,
  )

async function setup(t: Parameters<typeof tempDir>[0]) {
  const work = await tempDir(t)
  const server = await startTestServer(t, {latestClient: '0.2.0'})
  const token = await server.token()
  const init = async (name: string, env: Record<string, string> = {}) => {
    const root = path.join(work, name)
    const made = await runSync(['init', root, '--server', server.url, '--namespace', 'recipes', '--token', token, '--device', name], {env})
    t.is(made.exitCode, 0, text(made.stderr))
    return root
  }
  const entries = async (root: string) =>
    (JSON.parse(text((await runSync(['list', '--json'], {cwd: root})).stdout)) as {entries: {path: string; device: string; jid: number}[]}).entries
  return {init, entries}
}

test('an old-protocol client receives, sends nothing (exit 19 with the update command), and is told of the newer client', async (t) => {
  const {init, entries} = await setup(t)
  const current = await init('laptop')
  await writeFile(path.join(current, 'Risotto.cook'), await readFile(path.join(cookbookFixture, 'Risotto.cook')))
  t.is((await runSync(['once'], {cwd: current})).exitCode, 0)
  const old = await init('kitchen', OLD)
  t.is(text((await runSync(['--version'])).stdout), 'sync 0.1.0 (protocol 2)\n')
  t.is(text((await runSync(['--version'], {env: OLD})).stdout), 'sync 0.1.0 (protocol 1)\n')

  const received = await runSync(['once'], {cwd: old, env: OLD})
  t.is(received.exitCode, 0, text(received.stderr))
  t.true(text(received.stdout).includes(`a newer client is available: sync 0.2.0 ('${updateCommand('0.2.0')}')`))
  t.true(await exists(path.join(old, 'Risotto.cook')))

  await writeFile(path.join(old, 'Risotto.cook'), 'edited on the old client\n')
  const refused = await runSync(['once'], {cwd: old, env: OLD})
  t.is(refused.exitCode, 19, text(refused.stderr))
  t.is(text(refused.stderr).trim().split('\n').length, 1, 'one line')
  t.true(text(refused.stderr).includes(`the server serves it read-only (it speaks protocol 2): ${UPDATE}`), text(refused.stderr))
  t.false(
    (await entries(current)).some((entry) => entry.device === 'kitchen'),
    'nothing of the old client reached the journal',
  )
  t.is((await runSync(['once'], {cwd: current})).exitCode, 0)
  t.not(await readFile(path.join(current, 'Risotto.cook'), 'utf8'), 'edited on the old client\n')
  // Its edit is kept, and listed as still to send.
  t.is(await readFile(path.join(old, 'Risotto.cook'), 'utf8'), 'edited on the old client\n')
  const status = await runSync(['status'], {cwd: old, env: OLD})
  t.is(status.exitCode, 0, text(status.stderr))
  t.regex(text(status.stdout), /a newer client is available: sync 0\.2\.0/)
  t.regex(text(status.stdout), /modified Risotto\.cook/)
})

test('an old-protocol client is never handed a tree manifest: it takes the entries before it and stops there', async (t) => {
  const {init} = await setup(t)
  const current = await init('laptop')
  const old = await init('kitchen', OLD)
  await writeFile(path.join(current, 'before.md'), 'before the tree\n')
  t.is((await runSync(['once'], {cwd: current})).exitCode, 0)
  // More than 4,096 lines: kept and sent as a tree (protocol 2).
  await writeFile(path.join(current, 'big.txt'), Array.from({length: 5000}, (_, i) => `line ${i}\n`).join(''))
  t.is((await runSync(['once'], {cwd: current})).exitCode, 0)
  await writeFile(path.join(current, 'after.md'), 'after the tree\n')
  t.is((await runSync(['once'], {cwd: current})).exitCode, 0)

  const stopped = await runSync(['once'], {cwd: old, env: OLD})
  t.is(stopped.exitCode, 19, text(stopped.stderr))
  t.regex(text(stopped.stderr), new RegExp(`keeps big\\.txt \\(jid \\d+\\) as a tree manifest, which it needs \\(it speaks protocol 2\\): ${escaped(UPDATE)}`))
  t.is(await readFile(path.join(old, 'before.md'), 'utf8'), 'before the tree\n')
  t.false(await exists(path.join(old, 'big.txt')))
  t.false(await exists(path.join(old, 'after.md')), 'the cursor stops at the tree: nothing after it is taken out of order')
  const status = await runSync(['status'], {cwd: old, env: OLD})
  t.is(status.exitCode, 0, text(status.stderr))
  t.regex(text(status.stdout), /: reachable, folder at jid 1$/m)
  t.regex(
    text(status.stdout),
    new RegExp(`keeps big\\.txt \\(jid \\d+\\) as a tree manifest.*${escaped(updateCommand('0.2.0'))}.*\\(changes made here are kept here until then\\)`),
  )
  // The same client, updated (announcing protocol 2), takes everything.
  t.is((await runSync(['once'], {cwd: old})).exitCode, 0)
  t.is((await readFile(path.join(old, 'big.txt'), 'utf8')).split('\n').length, 5001)
  t.true(await exists(path.join(old, 'after.md')))
})

test('an old-protocol daemon keeps receiving and says once that it is too old and that a newer client exists', async (t) => {
  const {init} = await setup(t)
  const current = await init('laptop')
  const old = await init('kitchen', OLD)
  const daemon = await startCliDaemon(t, old, {env: OLD})
  await writeFile(path.join(old, 'notes.md'), 'written on the old client\n')
  await daemon.said(UPDATE)
  await daemon.said('a newer client is available: sync 0.2.0')
  await writeFile(path.join(current, 'from-laptop.md'), 'still received\n')
  t.is((await runSync(['once'], {cwd: current})).exitCode, 0)
  await daemon.said('received from-laptop.md')
  t.is(await readFile(path.join(old, 'from-laptop.md'), 'utf8'), 'still received\n')
  t.false(await exists(path.join(current, 'notes.md')))
  await daemon.stop()
  t.is(daemon.output.text.split(UPDATE).length - 1, 1, `said once: ${daemon.output.text}`)
})
