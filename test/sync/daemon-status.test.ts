/** The daemon's status file: the latest state, written at once on a change and throttled otherwise; gone at stop; believed only from the folder's lock holder. */
import {mkdir, readFile, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {folderLayout} from '#src/folder/layout.js'
import {DaemonStatusFile, readDaemonStatus} from '#src/sync/daemon-status.js'
import {tempDir} from '../helpers/temp.js'
import {waitFor} from '../helpers/wait-for.js'

test('a change of state is written at once, progress at most every period, and the file goes at stop', async (t) => {
  const layout = folderLayout(await tempDir(t))
  await mkdir(layout.syncDir)
  const read = async () => JSON.parse(await readFile(layout.daemonStatus, 'utf8').catch(() => 'null'))
  const status = new DaemonStatusFile(60_000)
  status.start(layout.daemonStatus)
  status.set('idle')
  await waitFor('idle', async () => (await read())?.state === 'idle')
  status.progress('send', 0, 12)
  await waitFor('sending', async () => (await read())?.state === 'sending')
  t.like(await read(), {pid: process.pid, state: 'sending', done: 0, total: 12})
  status.progress('send', 5, 12)
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.like(await read(), {done: 0}, 'the same state again waits for the period')
  status.set('idle')
  await waitFor('idle again', async () => (await read())?.state === 'idle')
  await status.stop()
  t.is(await read(), null)
})

test('status believes the file only when its pid holds the folder', async (t) => {
  const layout = folderLayout(await tempDir(t))
  await mkdir(layout.syncDir)
  await writeFile(layout.daemonStatus, JSON.stringify({pid: process.pid, state: 'sending', since: 1, total: 3}))
  t.is(await readDaemonStatus(layout), undefined, 'no lock: no daemon')
  await symlink(String(process.pid), path.join(layout.syncDir, 'sync.lock'))
  t.like(await readDaemonStatus(layout), {state: 'sending', total: 3})
  await writeFile(layout.daemonStatus, JSON.stringify({pid: 1, state: 'idle', since: 1}))
  t.is(await readDaemonStatus(layout), undefined, 'a file left by another process')
})
