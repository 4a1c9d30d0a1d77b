/** A nested synced folder as users meet it: `sync init` inside a synced folder; `once` and `status` say it is skipped. */
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'

test('once and status say "skipping nested sync folder", and list sends nothing of it', async (t) => {
  const {device, server, token} = await cliNamespace(t)
  const outer = await device('laptop', {cookbook: true})
  const inner = path.join(outer, 'notes')
  await mkdir(inner)
  await writeFile(path.join(inner, 'todo.md'), 'buy saffron\n')
  const init = await runSync(['init', inner, '--server', server.url, '--namespace', 'recipes', '--token', token, '--device', 'laptop-notes'])
  t.is(init.exitCode, 0, text(init.stderr))
  const once = await runSync(['once'], {cwd: outer})
  t.is(once.exitCode, 0, text(once.stderr))
  t.regex(text(once.stdout), /^skipping nested sync folder notes$/m)
  const status = await runSync(['status'], {cwd: outer})
  t.regex(text(status.stdout), /^skipping nested sync folder notes$/m)
  t.regex(text(status.stdout), /^to send: 0$/m)
  t.deepEqual(JSON.parse(text((await runSync(['status', '--json'], {cwd: outer})).stdout)).nested, ['notes'])
  const listed = JSON.parse(text((await runSync(['list', '--json'], {cwd: outer})).stdout)) as {entries: {path: string}[]}
  t.false(listed.entries.some((entry) => entry.path.startsWith('notes/')))
})
