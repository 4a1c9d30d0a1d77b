/**
 * Files of many chunks (src/manifest/id-tree.ts) end to end: whatever the size, a commit carries a tree's root,
 * the journal keeps the root, a move costs no list and a one-line edit a few nodes; the other device gets the
 * file byte for byte. The server's JSON body limit is set small here: no request may need more.
 */
import {readFile, rename, writeFile} from 'node:fs/promises'
import test from 'ava'
import {fsckServer} from '#server/fsck.js'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'
import {traffic} from '../helpers/traffic.js'

/** Over 2.5 MB of ids in base64: ten times the body limit below (before trees, a commit needed all of it). */
const LINES = 60_000
const text = (edited = -1) => Array.from({length: LINES}, (_, i) => (i === edited ? `line ${i} was changed here\n` : `line ${i}: 2 cups of flour\n`)).join('')

test('a text file of 60,000 lines syncs through requests of at most 256 KiB; a move and a one-line edit cost a few KB', async (t) => {
  const server = await startTestServer(t, {limits: {jsonBody: 256 * 1024, idsPerRequest: 2000}})
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  const original = text()
  await writeFile(a.file('big.txt'), original)
  const first = await a.pass()
  t.is(first.uploaded, 1)
  t.deepEqual(first.blocked, [])
  const head = (await server.storage.journal.entry('recipes', await server.storage.journal.head('recipes')))!
  t.is(head.manifest?.kind, 'tree', 'the journal keeps the root')
  t.true(head.manifest?.kind === 'tree' && head.manifest.tree.count > 50_000)
  await b.pass()
  t.is(await readFile(b.file('big.txt'), 'utf8'), original)

  const moved = await traffic(a, async () => {
    await rename(a.file('big.txt'), a.file('moved.txt'))
    await a.pass()
  })
  t.true(moved.sent < 4096, `the move sent ${moved.sent} bytes`)
  const movedDown = await traffic(b, () => b.pass())
  t.is(await readFile(b.file('moved.txt'), 'utf8'), original)
  t.true(movedDown.received < 4096, `the move cost the other device ${movedDown.received} bytes`)

  const edited = text(30_000)
  const edit = await traffic(a, async () => {
    await writeFile(a.file('moved.txt'), edited)
    await a.pass()
  })
  t.true(edit.sent < 4096, `the one-line edit sent ${edit.sent} bytes (the id list is ${head.manifest?.kind === 'tree' && head.manifest.tree.count * 32})`)
  const editDown = await traffic(b, () => b.pass())
  t.is(await readFile(b.file('moved.txt'), 'utf8'), edited)
  t.true(editDown.received < 4096, `the other device received ${editDown.received} bytes`)

  // The edited version came to b as an edit script, without nodes: b built them, so moving it costs no list either.
  const movedAgain = await traffic(a, async () => {
    await rename(a.file('moved.txt'), a.file('moved-again.txt'))
    await a.pass()
  })
  const movedAgainDown = await traffic(b, () => b.pass())
  t.is(await readFile(b.file('moved-again.txt'), 'utf8'), edited)
  t.true(movedAgain.sent < 4096, `the second move sent ${movedAgain.sent} bytes`)
  t.true(movedAgainDown.received < 4096, `the second move cost the other device ${movedAgainDown.received} bytes`)

  // 3,000 new lines at once: more ids than an edit script carries for a tree, so its new nodes travel instead.
  const grown = edited + Array.from({length: 3000}, (_, i) => `added step ${i}\n`).join('')
  const growth = await traffic(a, async () => {
    await writeFile(a.file('moved-again.txt'), grown)
    await a.pass()
  })
  await b.pass()
  t.is(await readFile(b.file('moved-again.txt'), 'utf8'), grown)
  t.true(growth.sent < 400_000, `3,000 new lines sent ${growth.sent} bytes (the whole list would be 2.6 MB)`)
  t.log({moved, movedDown, edit, editDown, movedAgain, movedAgainDown, growth})
  const [check] = await fsckServer(server.storage)
  t.deepEqual(check.incomplete, [])
  t.deepEqual(check.damaged, [])
})

test('the server keeps a long list given in full as a tree, and gives it back in full to a client', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const lines = Array.from({length: 6000}, (_, i) => `step ${i}\n`).join('')
  await writeFile(a.file('steps.txt'), lines)
  await a.pass()
  const [tree] = (await server.storage.journal.heads('recipes', undefined, 10)).heads
  t.is(tree.manifest?.kind, 'tree')
  const fromServer = await a.client.entry(tree.jid)
  const local = a.syncer.state.get('steps.txt')?.local?.manifest
  t.true(fromServer.manifest?.kind === 'file' && local?.kind === 'file' && fromServer.manifest.ids.equals(local.ids))
})
