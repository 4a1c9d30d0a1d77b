/**
 * pull: reads the journal page by page up to the head its first page saw; what is committed meanwhile waits for
 * the next read. Real server with small pages, real devices.
 */
import {writeFile} from 'node:fs/promises'
import test from 'ava'
import {INLINE_BYTES, pull} from '#src/sync/pull.js'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'

async function writeFiles(root: string, names: string[]): Promise<void> {
  for (const name of names) await writeFile(`${root}/${name}`, `${name}\n`)
}

test('a pull stops at the head its first page saw, and the next pull reads what came after', async (t) => {
  const server = await startTestServer(t, {limits: {pageEntries: 2}})
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFiles(a.root, ['1.txt', '2.txt', '3.txt', '4.txt', '5.txt', '6.txt'])
  t.is((await a.pass()).uploaded, 6)
  const first = await b.client.changes(b.syncer.state.cursor, {inline: INLINE_BYTES})
  t.true(first.more)
  const seen = first.head
  // Committed after the first page was read: as another device still sending its files.
  await writeFiles(a.root, ['7.txt', '8.txt', '9.txt', '10.txt', '11.txt', '12.txt'])
  t.is((await a.pass()).uploaded, 6)

  const pulled = await pull(b.syncer.state, b.folder.store, b.client, first)
  t.is(b.syncer.state.cursor, seen, 'three pages of two, and no fourth')
  t.is(pulled.changed.length, 6)
  t.true(pulled.head > seen, 'the last page said the journal had more')

  const rest = await pull(b.syncer.state, b.folder.store, b.client)
  t.is(b.syncer.state.cursor, rest.head)
  t.deepEqual(rest.changed.sort(), ['10.txt', '11.txt', '12.txt', '7.txt', '8.txt', '9.txt'])
})

test('a pass on a journal that grows while it reads still ends with every file, pass after pass', async (t) => {
  const server = await startTestServer(t, {limits: {pageEntries: 2}})
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFiles(a.root, ['1.txt', '2.txt', '3.txt', '4.txt', '5.txt'])
  await a.pass()
  const first = await b.client.changes(b.syncer.state.cursor, {inline: INLINE_BYTES})
  await writeFiles(a.root, ['6.txt', '7.txt', '8.txt'])
  await a.pass()
  const firstPass = (await b.syncer.pass({page: first})).downloaded
  t.true(firstPass >= 5 && firstPass < 8, `the first pass took ${firstPass}: up to the page that reached its head`)
  t.is((await b.pass()).downloaded, 8 - firstPass)
  t.is(b.syncer.state.cursor, a.syncer.state.cursor)
})
