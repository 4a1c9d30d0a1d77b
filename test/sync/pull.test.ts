/**
 * pull: reads the journal page by page up to the head its first page saw; what is committed meanwhile waits for
 * the next read. Real server with small pages, real devices.
 */
import {writeFile} from 'node:fs/promises'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {INLINE_BYTES, pull} from '#src/sync/pull.js'
import {initFolder} from '#src/folder/init-folder.js'
import {SyncFolder} from '#src/folder/sync-folder.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {tempDir} from '../helpers/temp.js'
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

/** A stand-in journal of `head` deletions, its pages cut by `cut(since)`, each answer 40 ms late; it counts what it was asked. */
async function pagedJournal(t: ExecutionContext, head: number, cut: (since: number) => number) {
  const asked: number[] = []
  let inFlight = 0
  let mostInFlight = 0
  const server = http.createServer((req, res) => {
    const since = Number(new URL(req.url!, 'http://x').searchParams.get('since'))
    asked.push(since)
    mostInFlight = Math.max(mostInFlight, ++inFlight)
    const last = Math.min(head, since + cut(since))
    const entries = Array.from({length: last - since}, (_, i) => ({
      jid: since + 1 + i,
      path: `gone-${since + 1 + i}.cook`,
      prev: null,
      kind: 'deleted',
      device: 'd',
      time: 1,
    }))
    setTimeout(() => {
      inFlight--
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify({entries, last, head, more: last < head}))
    }, 40)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  const root = path.join(await tempDir(t), 'b')
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  await initFolder(root, {device: 'b', server: {url, namespace: 'home', token: 'x'}})
  const folder = await SyncFolder.open(root)
  const client = new JournalClient({url, namespace: 'home', token: 'x'})
  t.teardown(async () => {
    client.close()
    await folder.close()
  })
  return {asked, mostInFlight: () => mostInFlight, pull: () => pull(folder.loadState(), folder.store, client)}
}

test('pages are read two ahead: the one after next is asked for where it most likely starts, and used only when the next ends there', async (t) => {
  const even = await pagedJournal(t, 20, () => 4)
  const pulled = await even.pull()
  t.is(pulled.changed.length, 20)
  t.deepEqual(even.asked, [0, 4, 8, 12, 16], 'no page asked twice, none wasted')
  t.is(even.mostInFlight(), 2, 'two pages on their way at once')

  // Pages cut short here and there (a server with other rules): a page asked ahead at the wrong place is dropped.
  const uneven = await pagedJournal(t, 20, (since) => (since === 8 ? 3 : 4))
  const got = await uneven.pull()
  t.deepEqual(
    got.changed,
    Array.from({length: 20}, (_, i) => `gone-${i + 1}.cook`),
    'every entry once, in order',
  )
  t.deepEqual(
    uneven.asked.filter((since) => since === 12),
    [12],
    'the page asked ahead from 12 (after 8 + 4) was dropped: the one from 8 ended at 11',
  )
  t.true(uneven.asked.includes(11))
})
