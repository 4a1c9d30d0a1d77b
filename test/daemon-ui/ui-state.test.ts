/** The folder in a word on the daemon's page, from its real state: synced, syncing, held deletions, offline, paused. */
import {unlink, writeFile} from 'node:fs/promises'
import test from 'ava'
import {ActivityLog} from '#src/daemon-ui/activity-log.js'
import {uiState} from '#src/daemon-ui/ui-state.js'
import {pauseFolder} from '#src/folder/pause.js'
import type {DaemonActivity} from '#src/sync/daemon-status.js'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'

const idle: DaemonActivity = {pid: process.pid, state: 'idle', since: 0}

test('synced, then syncing with a change to send, then held deletions, offline, paused; the activity lines', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const activity = new ActivityLog(2)
  const state = (daemon = idle) => uiState(a.folder, daemon, activity)
  await writeFile(a.file('Risotto.cook'), 'rice\n')
  await writeFile(a.file('Soup.cook'), 'soup\n')
  await a.pass()
  t.like(await state(), {summary: 'synced', device: 'a', server: {url: server.url, namespace: 'recipes'}, pendingUploads: [], held: []})

  await writeFile(a.file('Soup.cook'), 'more soup\n')
  t.like(await state(), {summary: 'syncing', pendingUploads: [{path: 'Soup.cook', change: 'modified'}]})
  t.is((await state({...idle, state: 'sending'})).summary, 'syncing')

  // Every file gone: the delete guard holds the deletions until the user decides.
  await a.pass()
  await unlink(a.file('Risotto.cook'))
  await unlink(a.file('Soup.cook'))
  await a.pass()
  t.like(await state(), {summary: 'held', held: [{count: 2, why: 'folder-empty'}]})
  t.is((await state({...idle, state: 'offline'})).summary, 'offline')
  await pauseFolder(a.folder.layout)
  t.like(await state({...idle, state: 'paused'}), {summary: 'paused', daemon: {state: 'paused'}})

  for (const line of ['one', 'two', 'three']) activity.add(line)
  t.deepEqual(
    (await state()).activity.map((l) => l.text),
    ['two', 'three'],
    'the newest lines, as many as kept',
  )
})

test("a conflict's stamp changes when either side changes, and only then", async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const copy = 'Risotto (conflict b 2026-12-06 101500).cook'
  await writeFile(a.file('Risotto.cook'), 'rice\n')
  await writeFile(a.file(copy), 'rice\n')
  const stamp = async () => (await uiState(a.folder, idle, new ActivityLog(1))).conflicts.map((c) => c.stamp)
  const first = await stamp()
  t.is(first.length, 1)
  t.deepEqual(await stamp(), first, 'nothing changed: the same stamp')
  await writeFile(a.file('Risotto.cook'), 'rice from b\n')
  const second = await stamp()
  t.notDeepEqual(second, first, 'the file changed')
  await writeFile(a.file(copy), 'rice, more\n')
  t.notDeepEqual(await stamp(), second, 'the copy changed')
})

test("a held mass deletion carries the guard's window's count, as the CLI says it", async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const names = Array.from({length: 100}, (_, i) => `note-${i}.txt`)
  for (const name of names) await writeFile(a.file(name), `${name}\n`)
  await a.pass()
  // 40 go (under 50), then 40 more: 80 within the hour, over 50 and a quarter of the 100.
  for (const name of names.slice(0, 40)) await unlink(a.file(name))
  await a.pass()
  for (const name of names.slice(40, 80)) await unlink(a.file(name))
  await a.pass()
  t.like(await uiState(a.folder, idle, new ActivityLog(2)), {summary: 'held', held: [{count: 40, why: 'mass-delete', lately: {count: 40, minutes: 60}}]})
})
