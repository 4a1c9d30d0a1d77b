/** `sync daemon --json`: NDJSON, one object a line with its time: watching, each change, and {"stopped": true} last. */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {syncBin} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {waitFor} from '../helpers/wait-for.js'

test('daemon --json prints one JSON object a line: watching, each change sent, and the stop', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const daemon = execa('node', [syncBin, 'daemon', '--json', '--debounce', '10'], {cwd: a, reject: false})
  t.teardown(() => daemon.kill('SIGKILL'))
  let out = ''
  daemon.stdout!.on('data', (data: Buffer) => (out += data.toString()))
  await waitFor('the daemon to start', () => out.includes('"watching"'), 60_000)
  await writeFile(path.join(a, 'Soup.cook'), 'Soup\n')
  await waitFor('the upload event', () => out.includes('"Soup.cook"'), 60_000)
  daemon.kill('SIGTERM')
  await daemon
  const lines = out
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  t.like(lines[0], {type: 'watching', folder: a, namespace: 'recipes'})
  t.like(
    lines.find((line) => line.path === 'Soup.cook'),
    {direction: 'up', type: 'upload', jid: 1},
  )
  t.deepEqual(lines.at(-1), {stopped: true})
  for (const line of lines.slice(0, -1)) t.regex(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
})
