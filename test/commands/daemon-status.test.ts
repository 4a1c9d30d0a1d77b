/** What `sync status` says a running daemon is doing: its status file follows a pass of many files, and status words it. */
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {describeDaemon} from '../../cli/describe-daemon.js'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {waitFor} from '../helpers/wait-for.js'

test('a daemon sending many files says so in its status file while it does, then idle', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const daemon = await startCliDaemon(t, a)
  const file = path.join(a, '.sync', 'daemon-status.json')
  const seen = new Set<string>()
  let watching = true
  const watch = (async () => {
    while (watching) {
      const activity = JSON.parse(await readFile(file, 'utf8').catch(() => '{}'))
      if (activity.state) seen.add(activity.state === 'sending' ? `sending ${activity.total}` : activity.state)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  })()
  await mkdir(path.join(a, 'notes'))
  for (let i = 0; i < 3000; i++) await writeFile(path.join(a, 'notes', `${i}.md`), `note ${i}\n`.repeat(20))
  await daemon.said(/sent notes\/2999\.md|sent \d+ changes/)
  await waitFor('idle again', async () => JSON.parse(await readFile(file, 'utf8')).state === 'idle')
  watching = false
  await watch
  t.true(
    [...seen].some((state) => /^sending \d+$/.test(state)),
    `states seen: ${[...seen].join(', ')}`,
  )
  t.regex(text((await runSync(['status'], {cwd: a})).stdout), new RegExp(`^daemon \\(pid ${daemon.pid}\\): idle for \\d+ s$`, 'm'))
})

test('status words each state of a daemon', (t) => {
  const now = 100_000
  const at = (state: Parameters<typeof describeDaemon>[0]['state'], counts = {}) => describeDaemon({pid: 1, state, since: now - 5000, ...counts}, now)
  t.is(at('idle'), 'idle for 5 s')
  t.is(at('scanning', {done: 10, total: 40}), 'scanning the folder (10 of 40 files)')
  t.is(at('receiving', {done: 0, total: 1}), 'receiving 1 file')
  t.is(at('sending', {done: 3, total: 12}), 'sending 12 files')
  t.is(at('paused'), 'paused for 5 s')
  t.is(at('offline'), 'waiting for the server to answer (for 5 s)')
})
