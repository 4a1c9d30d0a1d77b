/**
 * The journal client compresses JSON bodies only for a server that says it reads them (its health answer), and
 * reads compressed answers, checked: stand-in servers play an older server and a hostile one; the real server
 * plays itself.
 */
import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {DEFAULT_HEALTH} from '../helpers/health.js'
import {randomBytes} from '../helpers/random.js'
import {listen, testServer} from '../server/support/test-server.js'
import {standIn} from './support/stand-in-server.js'

/** 300 ids: a commit body of about 13 KB, over the size where the client asks whether the server reads br. */
const manifest = fileManifest(IdList.fromBuffer(randomBytes(32 * 300, 5)), 300 * 40)
const {encodings: _, ...olderHealth} = DEFAULT_HEALTH

test('a server whose health says nothing of encodings gets plain bodies', async (t) => {
  const {client, seen} = await standIn(t, olderHealth)
  t.like(await client.commit([{path: 'big.txt', base: null, manifest}]), [{status: 'committed', jid: 1}])
  t.deepEqual(
    seen.map(({path, encoding}) => ({path, encoding})),
    [
      {path: '/v1/health', encoding: undefined},
      {path: '/v1/ns/home/commit', encoding: undefined},
    ],
  )
})

test('a server that reads br gets a large body compressed, and the question is asked once', async (t) => {
  const {client, seen} = await standIn(t, DEFAULT_HEALTH)
  await client.commit([{path: 'big.txt', base: null, manifest}])
  await client.commit([{path: 'big2.txt', base: null, manifest}])
  const commits = seen.filter(({path}) => path.endsWith('/commit'))
  t.is(seen.filter(({path}) => path === '/v1/health').length, 1)
  t.deepEqual(
    commits.map(({encoding}) => encoding),
    ['br', 'br'],
  )
  t.true(commits[0].body.length < 13_000 * 0.85, `${commits[0].body.length} bytes sent`)
  t.true(seen.every(({acceptEncoding}) => acceptEncoding === 'br'))
})

test('a small body asks nothing and goes plain', async (t) => {
  const {client, seen} = await standIn(t, DEFAULT_HEALTH)
  await client.commit([{path: 'small.txt', base: null, manifest: fileManifest(IdList.fromBuffer(randomBytes(32 * 3, 6)), 120)}])
  t.deepEqual(
    seen.map(({path, encoding}) => ({path, encoding})),
    [{path: '/v1/ns/home/commit', encoding: undefined}],
  )
})

test('an answer that says br and does not decompress is a malformed answer (E_INVALID_INPUT)', async (t) => {
  const {client} = await standIn(t, DEFAULT_HEALTH, (_req, res) => {
    res.setHeader('Content-Encoding', 'br')
    res.end(randomBytes(2048, 8))
  })
  const error = await t.throwsAsync(client.changes(0))
  t.like(error, {code: 'E_INVALID_INPUT'})
  t.regex(error!.message, /malformed answer from the server: the server answer does not decompress/)
})

test("against the real server: a first sync's commit and changes page cost less than half their plain bytes", async (t) => {
  const server = await testServer(t)
  const url = await listen(t, server)
  const token = await server.token('home')
  const lines = Array.from({length: 2000}, (_, i) => Buffer.from(`Step ${i}: add @salt{${i % 3}%tsp} and stir for ${i % 11} minutes.\n`))
  const ids = IdList.fromHex(lines.map((line) => sha256Hex(line)))
  const inline = new Map(lines.map((line) => [sha256Hex(line), line]))
  const size = lines.reduce((total, line) => total + line.length, 0)
  const writer = new JournalClient({url, namespace: 'home', token})
  const reader = new JournalClient({url, namespace: 'home', token})
  t.teardown(() => writer.close())
  t.teardown(() => reader.close())
  t.like(await writer.commit([{path: 'Stew.cook', base: null, manifest: fileManifest(ids, size)}], {inline}), [{status: 'committed'}])
  const page = await reader.changes(0, {inline: 256 * 1024})
  t.is(page.inline.size, inline.size)
  // Plain, the commit alone would be the lines (size) and their ids in base64 (43 bytes each).
  const plain = size + lines.length * 43
  t.true(writer.traffic().sent < plain / 2, `${writer.traffic().sent} bytes sent of ${plain}`)
  t.true(reader.traffic().received < plain / 2, `${reader.traffic().received} bytes received of ${plain}`)
})
