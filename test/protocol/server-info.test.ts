/**
 * The protocol's version and limits, between a real server and the real client: the server advertises them, the
 * client cuts large requests to them (and asks nothing for small ones), and a server of another protocol or with
 * a malformed answer is refused with a typed error.
 */
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import test, {type ExecutionContext} from 'ava'
import {randomBytes} from 'node:crypto'
import {IdList} from '#src/chunk/id-list.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {updateCommand} from '#src/protocol/update-command.js'
import {createApp} from '#server/app.js'
import {listen, testServer} from '../server/support/test-server.js'

function client(t: ExecutionContext, url: string, token = 'x'): JournalClient {
  const journal = new JournalClient({url, namespace: 'home', token})
  t.teardown(() => journal.close())
  return journal
}

/** A server that answers every request with `body`: another implementation, or a hostile one. */
async function answering(t: ExecutionContext, body: unknown): Promise<string> {
  const server = http.createServer((_request, res) => {
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const requestsTo = async (server: Awaited<ReturnType<typeof testServer>>, route: string) =>
  Number(
    new RegExp(`sync_http_requests_total\\{route="${route.replace(/[/:]/g, (c) => `\\${c}`)}",method="[A-Z]+",status="200"\\} (\\d+)`).exec(
      await server.metrics.registry.metrics(),
    )?.[1] ?? 0,
  )

test('a server with smaller limits advertises them, and the client cuts its requests to them', async (t) => {
  const server = await testServer(t, {limits: {commitItems: 100, idsPerRequest: 1000}})
  const journal = client(t, await listen(t, server), await server.token('home'))
  const info = await journal.serverInfo()
  t.like(info, {ok: true, protocol: 2, limits: {commitItems: 100, idsPerRequest: 1000}})
  const items = Array.from({length: 250}, (_, i) => ({path: `d${i}.txt`, base: null, deleted: true as const}))
  t.is((await journal.commit(items)).length, 250)
  t.is(await requestsTo(server, '/v1/ns/:ns/commit'), 3, '250 items in requests of 100')
  const ids = Array.from({length: 2500}, () => randomBytes(32).toString('hex'))
  t.is((await journal.missing(ids)).length, 2500)
  t.is(await requestsTo(server, '/v1/ns/:ns/chunks/missing'), 3, '2,500 ids in requests of 1,000')
})

test('a small request needs no question first; a larger one asks the server its limits once', async (t) => {
  const server = await testServer(t)
  const journal = client(t, await listen(t, server), await server.token('home'))
  await journal.commit([{path: 'a.txt', base: null, deleted: true}])
  t.is(await requestsTo(server, '/v1/health'), 0, 'within the protocol minimums: nothing asked')
  await journal.commit(Array.from({length: 150}, (_, i) => ({path: `b${i}.txt`, base: null, deleted: true as const})))
  await journal.missing(Array.from({length: 1500}, () => randomBytes(32).toString('hex')))
  t.is(await requestsTo(server, '/v1/health'), 1, 'asked once, kept')
})

test('a server of a newer protocol is refused before a large request, with E_CLIENT_TOO_OLD and the command that updates this client', async (t) => {
  const journal = client(t, await answering(t, {ok: true, version: '9.0.0', protocol: 3, readOnlyProtocols: [2], latestClient: '9.1.0'}))
  const error = await t.throwsAsync(journal.serverInfo(), {code: 'E_CLIENT_TOO_OLD'})
  t.regex(
    error!.message,
    /^this sync speaks protocol 2, and the server at \S+ \(9\.0\.0\) serves it read-only \(it speaks protocol 3\): update this sync with '/,
  )
  t.true(error!.message.endsWith(`update this sync with '${updateCommand('9.1.0')}'`))
  const items = Array.from({length: 150}, (_, i) => ({path: `b${i}.txt`, base: null, manifest: fileManifest(IdList.fromHex([]), 0)}))
  await t.throwsAsync(journal.commit(items), {code: 'E_CLIENT_TOO_OLD'})
})

test('a server of protocol 1 (no trees) is refused before a commit of a tree, with E_PROTOCOL', async (t) => {
  const journal = client(t, await answering(t, {ok: true, version: '0.0.9', protocol: 1}))
  const tree = {path: 'big.txt', base: null, tree: {root: 'a'.repeat(64), depth: 1, count: 5000}, size: 50_000, exec: false, introduces: []}
  const error = await t.throwsAsync(journal.commit([tree]), {code: 'E_PROTOCOL'})
  t.regex(error!.message, /speaks protocol 1 \(version 0\.0\.9\); this sync speaks 2: update the server$/)
})

test('a malformed health answer (a limit that is no count) is refused as malformed, naming the field', async (t) => {
  const journal = client(t, await answering(t, {ok: true, version: '1.0.0', protocol: 1, limits: {commitItems: -5}}))
  await t.throwsAsync(journal.health(), {code: 'E_INVALID_INPUT', message: /^malformed answer from the server: health \(limits\.jsonBody: /})
})

test('a server cannot be made with limits below the protocol minimums', async (t) => {
  const {storage} = await testServer(t)
  t.throws(() => createApp(storage, {limits: {commitItems: 10}}), {
    code: 'E_INVALID_INPUT',
    message: "limits below the protocol's minimums: commitItems 10 (at least 100)",
  })
})
