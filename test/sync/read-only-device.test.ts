/**
 * A device with a read-only token (a kitchen screen): its local edits are kept here, said once, not retried at
 * every pass, and everything that can sync (the other devices' changes) still does. Real server, real folders.
 */
import {readFile, unlink, writeFile} from 'node:fs/promises'
import test from 'ava'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'

test("a read-only device keeps its edits here, says so once, and still receives the others' changes", async (t) => {
  const server = await startTestServer(t)
  const writer = await makeDevice(t, server, 'writer', {cookbook: true})
  await writer.pass()
  const kitchen = await makeDevice(t, server, 'kitchen', {token: await server.token('recipes', true)})
  t.is((await kitchen.pass()).downloaded, 31)

  await writeFile(kitchen.file('Risotto.cook'), 'edited on the kitchen screen\n')
  const first = await kitchen.pass()
  t.deepEqual(first.held, [{type: 'upload', path: 'Risotto.cook', why: 'read-only'}])
  t.deepEqual(first.pending, [])
  t.deepEqual(first.blocked, [])
  const second = await kitchen.pass()
  t.deepEqual(
    second.held.map((h) => h.path),
    ['Risotto.cook'],
  )
  t.deepEqual(
    kitchen.events.filter((e) => e.type === 'held').map((e) => e.path),
    ['Risotto.cook'],
    'said once',
  )
  t.not((await server.storage.journal.heads('recipes', undefined, 100)).heads.find((h) => h.path === 'Risotto.cook')!.device, 'kitchen')

  // What others change still arrives; the local edit stays.
  await writeFile(writer.file('Thai Green Curry.cook'), 'a new curry\n')
  await writer.pass()
  const third = await kitchen.pass()
  t.is(third.downloaded, 1)
  t.is(await readFile(kitchen.file('Thai Green Curry.cook'), 'utf8'), 'a new curry\n')
  t.is(await readFile(kitchen.file('Risotto.cook'), 'utf8'), 'edited on the kitchen screen\n')
})

test('a read-only device does not wait for its deletions to settle: it sends none', async (t) => {
  const server = await startTestServer(t)
  const writer = await makeDevice(t, server, 'writer', {cookbook: true})
  await writer.pass()
  const phases: string[] = []
  const kitchen = await makeDevice(t, server, 'kitchen', {token: await server.token('recipes', true), onProgress: (phase) => phases.push(phase)})
  await kitchen.pass()
  await writeFile(kitchen.file('Risotto.cook'), 'edited on the kitchen screen\n')
  await kitchen.pass()
  await unlink(kitchen.file('Neapolitan Pizza.cook'))
  const summary = await kitchen.pass()
  t.true(summary.held.some((h) => h.path === 'Neapolitan Pizza.cook' && h.why === 'read-only'))
  t.false(phases.includes('settle'))
})
