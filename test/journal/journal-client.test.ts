import http from 'node:http'
import net from 'node:net'
import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {DEFAULT_LIMITS} from '#src/protocol/limits.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {applyEdits, diffIds} from '#src/manifest/edits.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {tempStore} from '../helpers/store.js'
import {listen, testServer} from '../server/support/test-server.js'
import {version, type Version} from '../server/support/versions.js'
import {waitFor} from '../helpers/wait-for.js'
import {DEFAULT_HEALTH} from '../helpers/health.js'

const manifestOf = (v: Version) => fileManifest(IdList.fromHex(v.ids), v.size)
const inlineOf = (v: Version) => new Map(v.chunks.map((c) => [c.id, c.bytes]))
const codeOf = async (promise: Promise<unknown>) =>
  (
    (await promise.then(
      () => undefined,
      (error) => error,
    )) as {code?: string} | undefined
  )?.code

async function setup(t: Parameters<typeof testServer>[0], options: Parameters<typeof testServer>[1] = {}) {
  const server = await testServer(t, options)
  const url = await listen(t, server)
  const connect = async (namespace = 'home', token?: string) => {
    const client = new JournalClient({url, namespace, token: token ?? (await server.token(namespace))}, {timeoutMs: 5000})
    t.teardown(() => client.close())
    return client
  }
  return {server, url, connect}
}

/** A client of a stand-in server (a peer that misbehaves), listening on a loopback port until the test ends. */
async function clientOf(t: Parameters<typeof testServer>[0], server: http.Server): Promise<JournalClient> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  const client = new JournalClient({url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, namespace: 'home', token: 'x'})
  t.teardown(() => client.close())
  return client
}

test('commit, changes, entry, log, heads and health against the real server', async (t) => {
  const {connect} = await setup(t)
  const client = await connect()
  t.deepEqual(await client.health(), DEFAULT_HEALTH)
  const v1 = version('a\n', 'b\n')
  const v2 = version('a\n', 'B\n')
  t.deepEqual(await client.commit([{path: 'x.cook', base: null, manifest: manifestOf(v1)}]), [{status: 'missing', ids: v1.ids}])
  t.deepEqual(await client.commit([{path: 'x.cook', base: null, manifest: manifestOf(v1)}], {device: 'phone', inline: inlineOf(v1)}), [
    {status: 'committed', jid: 1},
  ])
  const edits = diffIds(IdList.fromHex(v1.ids), IdList.fromHex(v2.ids))
  t.deepEqual(await client.commit([{path: 'x.cook', base: 1, edits, size: v2.size, exec: false}], {inline: inlineOf(v2)}), [{status: 'committed', jid: 2}])
  const [conflict] = await client.commit([{path: 'x.cook', base: 1, deleted: true}])
  t.is(conflict.status, 'conflict')
  t.like(conflict.status === 'conflict' && conflict.head, {jid: 2, path: 'x.cook', kind: 'file', size: v2.size})

  const page = await client.changes(0)
  t.like(page, {last: 2, head: 2, more: false})
  // The server answers this client leanly (User-Agent `lean`): cursors it leaves out are inferred.
  t.like(await client.changes(0, {limit: 1}), {last: 1, head: 2, more: true})
  t.true(page.entries[0].manifest?.kind === 'file' && page.entries[0].manifest.ids.equals(IdList.fromHex(v1.ids)))
  t.is(page.entries[0].device, 'phone')
  const second = page.entries[1]
  t.truthy(second.edits)
  t.true(applyEdits(IdList.fromHex(v1.ids), second.edits!).equals(IdList.fromHex(v2.ids)))
  const full = await client.entry(2)
  t.true(full.manifest?.kind === 'file' && full.manifest.ids.equals(IdList.fromHex(v2.ids)))
  t.deepEqual(
    (await client.log('x.cook')).entries.map((e) => e.jid),
    [2, 1],
  )
  const heads = await client.heads()
  t.deepEqual(
    heads.heads.map((h) => h.path),
    ['x.cook'],
  )
  t.is(heads.jid, 2)
})

test('upload and fetch move chunks between stores through the server', async (t) => {
  const {connect} = await setup(t)
  const client = await connect()
  const here = await tempStore(t)
  const there = await tempStore(t)
  const v = version(...Array.from({length: 500}, (_, i) => `line ${i}\n`))
  for (const c of v.chunks) here.store.add(c.bytes)
  await here.store.flush()
  t.deepEqual(await client.missing(v.ids.slice(0, 2)), v.ids.slice(0, 2))
  t.deepEqual(await client.upload(here.store, [...v.ids, v.ids[0]]), {received: 500, stored: 500})
  t.deepEqual(await client.missing(v.ids), [])
  t.is(await client.fetch(there.store, v.ids), 500)
  t.is(await client.fetch(there.store, v.ids), 0)
  t.is((await there.store.read(v.ids[42])).toString(), 'line 42\n')
  // Durable: a reopened store has them.
  const reopened = await there.reopen()
  t.deepEqual(reopened.store.missing(v.ids), [])
  t.is(await codeOf(client.upload(here.store, [version('not here\n').ids[0]])), 'E_MISSING_CHUNKS')
})

test('upload reads the next pack while one is on the wire, sends packs in order, and stops at a failure', async (t) => {
  const {connect} = await setup(t)
  const client = await connect()
  const here = await tempStore(t)
  const v = version(...Array.from({length: 300}, (_, i) => `line ${String(i).padStart(3, '0')} ${'x'.repeat(100)}\n`))
  for (const c of v.chunks) here.store.add(c.bytes)
  await here.store.flush()
  // What happens when, by chunk index: the store's reads (packing) and the server's answers (onSent).
  const events: string[] = []
  const read = here.store.read.bind(here.store)
  here.store.read = (id: string) => {
    events.push(`read ${v.ids.indexOf(id)}`)
    return read(id)
  }
  const packs: string[][] = []
  const onSent = (ids: readonly string[]) => {
    packs.push([...ids])
    events.push(`sent ${v.ids.indexOf(ids[0])}`)
  }
  // 112 bytes a chunk: about 100 chunks a pack.
  t.deepEqual(await client.upload(here.store, v.ids.slice(0, 200), {packBytes: 100 * 112, onSent}), {received: 200, stored: 200})
  t.is(packs.length, 2)
  t.deepEqual(packs.flat(), v.ids.slice(0, 200))
  const secondPack = v.ids.indexOf(packs[1][0])
  const [readSecond, firstAnswered] = [events.indexOf(`read ${secondPack}`), events.indexOf('sent 0')]
  t.true(readSecond < firstAnswered, `the second pack is read (event ${readSecond}) before the first is answered (event ${firstAnswered})`)
  // A failure told for the first pack (as the big lane stops a superseded transfer) ends the upload with it; the
  // pack read meanwhile is never sent.
  const rest = v.ids.slice(200)
  const stopped = new Error('stopped')
  const failing = client.upload(here.store, rest, {
    packBytes: 50 * 112,
    onSent: () => {
      throw stopped
    },
  })
  t.is(await failing.catch((error: unknown) => error), stopped)
  const missing = await client.missing(rest)
  t.true(missing.length > 0 && missing.length < rest.length, `only the first pack went: ${missing.length} of ${rest.length} missing`)
})

test('fetch asks again when an answer holds only part of the ids', async (t) => {
  const {connect} = await setup(t, {limits: {fetchPack: 1000}})
  const client = await connect()
  const here = await tempStore(t)
  const there = await tempStore(t)
  const v = version(...Array.from({length: 50}, (_, i) => `${i} ${'x'.repeat(100)}\n`))
  for (const c of v.chunks) here.store.add(c.bytes)
  await here.store.flush()
  await client.upload(here.store, v.ids)
  t.is(await client.fetch(there.store, v.ids), 50)
  t.deepEqual(there.store.missing(v.ids), [])
})

test('commit splits large batches into requests of 1000 items, each with its inline chunks', async (t) => {
  const {connect, server} = await setup(t)
  const client = await connect()
  const versions = Array.from({length: 2500}, (_, i) => version(`file ${i}\n`))
  const inline = new Map(versions.flatMap((v) => [...inlineOf(v)]))
  const results = await client.commit(
    versions.map((v, i) => ({path: `f${i}.cook`, base: null, manifest: manifestOf(v)})),
    {inline},
  )
  t.is(results.length, 2500)
  t.true(results.every((r, i) => r.status === 'committed' && r.jid === i + 1))
  t.regex(await server.metrics.registry.metrics(), /sync_http_requests_total\{route="\/v1\/ns\/:ns\/commit",method="POST",status="200"\} 3/)
})

test('a journal that ends before the cursor (a server restored from an older backup) is said so, with the way out', async (t) => {
  const {connect, server} = await setup(t)
  const client = await connect('home', await server.token('home'))
  const error = await t.throwsAsync(client.changes(5), {code: 'E_NOT_FOUND'})
  t.regex(error!.message, /^the server's journal ends at JID 0, before this folder's 5: .*'sync config set server URL --reset'/)
  t.like((error as unknown as {data: unknown}).data, {since: 5, head: 0})
})

test('errors are typed: network, unauthorized, forbidden, not found, missing chunks, rejected', async (t) => {
  const {connect, server} = await setup(t)
  const token = await server.token('home')
  const client = await connect('home', token)
  const closed = net.createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const port = (closed.address() as net.AddressInfo).port
  await new Promise((resolve) => closed.close(resolve))
  const nowhere = new JournalClient({url: `http://127.0.0.1:${port}`, namespace: 'home', token: 'x'})
  t.teardown(() => nowhere.close())
  t.is(await codeOf(nowhere.changes(0)), 'E_NETWORK')
  t.is(await codeOf((await connect('home', 'not-a-token')).changes(0)), 'E_UNAUTHORIZED')
  const revoked = await server.token('home')
  await server.storage.tokens.revoke(revoked)
  t.is(await codeOf((await connect('home', revoked)).changes(0)), 'E_UNAUTHORIZED')
  t.is(await codeOf((await connect('other', token)).changes(0)), 'E_FORBIDDEN')
  t.is(await codeOf((await connect('home', await server.token('home', true))).commit([{path: 'a', base: null, deleted: true}])), 'E_FORBIDDEN')
  t.is(await codeOf(client.entry(99)), 'E_NOT_FOUND')
  t.is(await codeOf(client.changes(99)), 'E_NOT_FOUND')
  const there = await tempStore(t)
  const absent = version('nowhere\n').ids[0]
  const missing = await client.fetch(there.store, [absent]).catch((error) => error)
  t.is(missing.code, 'E_MISSING_CHUNKS')
  t.deepEqual(missing.ids, [absent])
  const rejected = await client.commit([{path: '../escape', base: null, deleted: true}]).catch((error) => error)
  t.is(rejected.code, 'E_SERVER_REJECTED')
  t.like(rejected.data, {status: 400, code: 'E_INVALID_PATH'})
})

test('a server that does not answer is E_NETWORK after the timeout', async (t) => {
  const silent = net.createServer(() => {})
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => silent.close())
  const client = new JournalClient({url: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, namespace: 'home', token: 'x'}, {timeoutMs: 200})
  t.teardown(() => client.close())
  const started = Date.now()
  t.is(await codeOf(client.health()), 'E_NETWORK')
  t.true(Date.now() - started < 10_000, 'the 200 ms timeout, not the default')
})

test('an aborted long-poll rejects at once with the AbortError, and the server stops waiting', async (t) => {
  const {connect, server} = await setup(t)
  const client = await connect()
  const controller = new AbortController()
  const poll = client.changes(0, {wait: 60, signal: controller.signal}).catch((error) => error)
  await waitFor('1 long-polls waiting', () => server.waiters.count === 1)
  const started = Date.now()
  controller.abort()
  const error = await poll
  t.is(error.name, 'AbortError')
  t.true(Date.now() - started < 10_000, 'well before the 60 s wait')
  await waitFor('0 long-polls waiting', () => server.waiters.count === 0)
})

test('a one-line edit costs under 2 KB on the wire for writer and reader together, headers included', async (t) => {
  const {connect} = await setup(t)
  const writer = await connect()
  const reader = await connect()
  const lines = Array.from({length: 40}, (_, i) => `Step ${i}: add @ingredient${i}{${i}%g} and stir for ~{${i}%minutes}.\n`)
  const before = version(...lines)
  lines[17] = 'Step 17: add @saffron{1%pinch} instead, and stir gently for ~{2%minutes}.\n'
  const after = version(...lines)
  await writer.commit([{path: 'Risotto.cook', base: null, manifest: manifestOf(before)}], {inline: inlineOf(before)})
  await reader.changes(0)
  const start = {writer: writer.traffic(), reader: reader.traffic()}
  // The reader is waiting, as a daemon is; the writer commits an edit script with the new line inline.
  const poll = reader.changes(1, {wait: 30, inline: 256 * 1024})
  const edits = diffIds(IdList.fromHex(before.ids), IdList.fromHex(after.ids))
  t.deepEqual(await writer.commit([{path: 'Risotto.cook', base: 1, edits, size: after.size, exec: false}], {device: 'laptop', inline: inlineOf(after)}), [
    {status: 'committed', jid: 2},
  ])
  const page = await poll
  // The reader can rebuild the new version from what it had and what it got, with no fetch.
  t.true(applyEdits(IdList.fromHex(before.ids), page.entries[0].edits!).equals(IdList.fromHex(after.ids)))
  t.deepEqual([...page.inline.keys()], [after.ids[17]])
  const end = {writer: writer.traffic(), reader: reader.traffic()}
  const total = ['writer', 'reader'].reduce((sum, who) => {
    const key = who as 'writer' | 'reader'
    return sum + end[key].sent - start[key].sent + end[key].received - start[key].received
  }, 0)
  t.log(`one-line edit: ${total} bytes in all`)
  t.true(total < 2048, `${total} bytes`)
  t.true(total > 500)
})

test('a request that fails on a reused keep-alive connection before any answer is sent again on a new one', async (t) => {
  let requests = 0
  const flaky = http.createServer((req, res) => {
    requests++
    // The second request on a connection finds it closed, as when the server's keep-alive timer fired.
    const socket = req.socket as net.Socket & {served?: number}
    socket.served = (socket.served ?? 0) + 1
    if (socket.served > 1) {
      socket.destroy()
      return
    }
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ok: true, version: 'x'}))
  })
  const client = await clientOf(t, flaky)
  // A server from before protocol versions: protocol 1 (served in full), the default limits, no compressed bodies.
  const old = {ok: true, version: 'x', protocol: 1, protocols: [1], readOnlyProtocols: [], encodings: [], packsWithoutIds: false, limits: DEFAULT_LIMITS}
  t.deepEqual(await client.health(), old)
  t.deepEqual(await client.health(), old)
  t.is(requests, 3)
})

test('what a server sends is checked: paths, inline bytes', async (t) => {
  const answers: Record<string, unknown> = {}
  const hostile = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify(answers[new URL(req.url!, 'http://x').pathname]))
  })
  const client = await clientOf(t, hostile)
  const v = version('x\n')
  answers['/v1/ns/home/entries/1'] = {entry: {jid: 1, path: '../../etc/passwd', prev: null, kind: 'deleted', device: 'd', time: 1}}
  t.is(await codeOf(client.entry(1)), 'E_INVALID_PATH')
  // Inline bytes carry no id: the client keys them by what they hash to, so a server cannot pass them off as x.
  answers['/v1/ns/home/changes'] = {entries: [], last: 0, head: 0, more: false, inlineText: ['not x\n']}
  t.deepEqual([...(await client.changes(0)).inline.keys()], [sha256Hex(Buffer.from('not x\n'))])
  answers['/v1/ns/home/changes'] = {entries: [], last: 0, head: 0, more: false, inline: {[v.ids[0]]: 'eAo='}}
  t.is(await codeOf(client.changes(0)), 'E_INVALID_INPUT')
  answers['/v1/ns/home/changes'] = {entries: 'nope'}
  t.is(await codeOf(client.changes(0)), 'E_INVALID_INPUT')
  // Edit refs name the page's own inline chunks, in wire order, and nothing past them.
  const edited = (position: number, inlineText: string[]) => ({
    entries: [{jid: 2, path: 'x.cook', prev: 1, kind: 'file', device: 'd', time: 1, size: 3, edits: [[0, 1, [position]]]}],
    ...{last: 2, head: 2, more: false, inlineText},
  })
  answers['/v1/ns/home/changes'] = edited(1, ['y\n', 'xy\n'])
  t.deepEqual((await client.changes(1)).entries[0].edits?.[0].insert.toHexArray(), [sha256Hex(Buffer.from('xy\n'))])
  answers['/v1/ns/home/changes'] = edited(2, ['y\n', 'xy\n'])
  t.is(await codeOf(client.changes(1)), 'E_INVALID_INPUT')
})

test('a changes page must keep its place: one that says more follows without moving (a pull would ask for it for ever), ends before it began, or lists entries out of order or past its end is refused', async (t) => {
  let answer: unknown
  const hostile = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify(answer))
  })
  const client = await clientOf(t, hostile)
  const deleted = (jid: number) => ({jid, path: `gone-${jid}.cook`, prev: jid - 1, kind: 'deleted', device: 'd', time: 1})
  const refusal = async (page: unknown) => {
    answer = page
    const error = await client.changes(5).then(
      () => undefined,
      (error: unknown) => error as {code?: string; message: string},
    )
    return error && `${error.code}: ${error.message}`
  }
  t.is(
    await refusal({entries: [], last: 5, head: 9, more: true}),
    'E_INVALID_INPUT: malformed answer from the server: the changes after 5 say more follows but end where they began',
  )
  t.is(
    await refusal({entries: [], last: 4, head: 4, more: false}),
    'E_INVALID_INPUT: malformed answer from the server: the changes after 5 end at 4, before where they were asked from',
  )
  t.is(
    await refusal({entries: [deleted(5)], last: 6, head: 6, more: false}),
    'E_INVALID_INPUT: malformed answer from the server: the changes after 5 list JID 5 after 5',
  )
  t.is(
    await refusal({entries: [deleted(7), deleted(6)], last: 7, head: 7, more: false}),
    'E_INVALID_INPUT: malformed answer from the server: the changes after 5 list JID 6 after 7',
  )
  t.is(
    await refusal({entries: [deleted(6), deleted(8)], last: 7, head: 9, more: true}),
    'E_INVALID_INPUT: malformed answer from the server: the changes after 5 list JID 8, past their end at 7',
  )
  // In order and in range: taken, including a page that lists none and still moves (a sub-tree's).
  t.is(await refusal({entries: [deleted(6), deleted(8)], last: 8, head: 9, more: true}), undefined)
  t.is(await refusal({entries: [], last: 7, head: 9, more: true}), undefined)
  t.is(await refusal({entries: [], last: 5, head: 5, more: false}), undefined)
  // A log page lists older versions, newest first: one that does not would have `sync log` ask for it for ever.
  const history = async (page: unknown, before?: number) => {
    answer = page
    return client.log('gone-1.cook', {before}).then(
      ({entries}) => entries.map((entry) => entry.jid),
      (error: unknown) => (error as Error).message,
    )
  }
  t.deepEqual(await history({entries: [deleted(6), deleted(4)], more: true}, 7), [6, 4])
  t.is(
    await history({entries: [deleted(6), deleted(4)], more: true}, 6),
    'malformed answer from the server: the history of gone-1.cook lists JID 6 after 6, not newest first before 6',
  )
  t.is(
    await history({entries: [deleted(4), deleted(6)], more: true}),
    'malformed answer from the server: the history of gone-1.cook lists JID 6 after 4, not newest first before its end',
  )
})
