/**
 * `sync once`'s pass (`pull: 'unless-sending'`): with local changes to send it does not read the journal first;
 * its commit tells whether anything came in before it. Whatever came in is still applied in the same pass, and
 * a pass that ends up sending nothing reads the journal all the same. Real server, real folders.
 */
import {readFile, writeFile} from 'node:fs/promises'
import test from 'ava'
import {devicePair, settle} from '../helpers/device-pair.js'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'
import {traffic} from '../helpers/traffic.js'
import {readTree} from '../helpers/tree.js'

test('a pass that sends and finds nothing new costs one request less than one that reads first', async (t) => {
  const {a, b} = await devicePair(t)
  await writeFile(a.file('Risotto.cook'), 'first edit\n')
  const readingFirst = await traffic(a, () => a.syncer.pass())
  await writeFile(a.file('Risotto.cook'), 'other edit\n')
  let sent
  const sendingFirst = await traffic(a, async () => (sent = await a.syncer.pass({pull: 'unless-sending'})))
  t.is(sent!.uploaded, 1)
  t.deepEqual(sent!.pending, [])
  // A changes request and its answer cost well over 100 bytes; everything else is the same.
  t.true(sendingFirst.sent + sendingFirst.received < readingFirst.sent + readingFirst.received - 100, JSON.stringify({readingFirst, sendingFirst}))
  t.is((await b.pass()).downloaded, 1)
  t.is(await readFile(b.file('Risotto.cook'), 'utf8'), 'other edit\n')
})

test("another device's change committed before ours is applied in the same pass", async (t) => {
  const {a, b} = await devicePair(t)
  await writeFile(b.file('from-b.txt'), 'from b\n')
  await b.pass()
  await writeFile(a.file('from-a.txt'), 'from a\n')
  const summary = await a.syncer.pass({pull: 'unless-sending'})
  t.is(summary.uploaded, 1)
  t.is(summary.downloaded, 1, 'read after our commit, whose JID did not follow the cursor')
  t.deepEqual(summary.pending, [])
  t.is(await readFile(a.file('from-b.txt'), 'utf8'), 'from b\n')
})

test('an edit of a path another device changed first conflicts, and both versions survive', async (t) => {
  const {a, b} = await devicePair(t)
  await writeFile(b.file('Risotto.cook'), 'edited on b\n')
  await b.pass()
  await writeFile(a.file('Risotto.cook'), 'edited on a\n')
  const summary = await a.syncer.pass({pull: 'unless-sending'})
  t.deepEqual(summary.pending, [])
  await settle(a, b)
  t.deepEqual(await readTree(a.root), await readTree(b.root))
  const contents = Object.values(await readTree(a.root))
  t.true(contents.includes('edited on a\n'))
  t.true(contents.includes('edited on b\n'))
})

test('a pass whose local changes are all held (a read-only token) reads the journal and applies what came', async (t) => {
  const server = await startTestServer(t)
  const writer = await makeDevice(t, server, 'writer', {cookbook: true})
  await writer.pass()
  const kitchen = await makeDevice(t, server, 'kitchen', {token: await server.token('recipes', true)})
  await kitchen.pass()
  await writeFile(kitchen.file('Risotto.cook'), 'edited on the kitchen screen\n')
  await kitchen.pass()
  await writeFile(writer.file('Thai Green Curry.cook'), 'a new curry\n')
  await writer.pass()
  await writeFile(kitchen.file('Risotto.cook'), 'edited again on the kitchen screen\n')
  const summary = await kitchen.syncer.pass({pull: 'unless-sending'})
  t.is(summary.downloaded, 1)
  t.is(await readFile(kitchen.file('Thai Green Curry.cook'), 'utf8'), 'a new curry\n')
  t.is(await readFile(kitchen.file('Risotto.cook'), 'utf8'), 'edited again on the kitchen screen\n')
  t.deepEqual(
    summary.held.map((h) => h.path),
    ['Risotto.cook'],
  )
})
