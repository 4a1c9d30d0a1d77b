/**
 * The token as `sync-token` (src/protocol/token-header.ts): read over HTTP/2 only, never beside `Authorization`,
 * and sent by the client only to a server whose SETTINGS announce it.
 */
import http from 'node:http'
import http2 from 'node:http2'
import type {AddressInfo} from 'node:net'
import test from 'ava'
import {dualProtocolServer} from '#server/http/dual-protocol.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {TOKEN_HEADER} from '#src/protocol/token-header.js'
import {productionListener} from '../journal/support/production-listener.js'
import {testServer} from './support/test-server.js'

const PATH = '/v1/ns/home/changes?since=0'

/** One HTTP/2 request with these headers: the status and the error code of the body, if any. */
async function h2Get(url: string, headers: http2.OutgoingHttpHeaders): Promise<{status: number; code?: string}> {
  const session = http2.connect(url)
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({':path': PATH, ...headers}, {endStream: true})
      let status = 0
      let body = ''
      stream.on('response', (response) => (status = Number(response[':status'])))
      stream.on('data', (data: Buffer) => (body += data))
      stream.on('end', () => resolve({status, code: status === 200 ? undefined : (JSON.parse(body) as {error: {code: string}}).error.code}))
      stream.on('error', reject)
    })
  } finally {
    session.destroy()
  }
}

test('over HTTP/2 the token may come as sync-token; with Authorization too, or wrong, it is 401', async (t) => {
  const {url, token} = await productionListener(t)
  t.deepEqual(await h2Get(url, {[TOKEN_HEADER]: token}), {status: 200, code: undefined})
  t.deepEqual(await h2Get(url, {authorization: `Bearer ${token}`}), {status: 200, code: undefined})
  t.deepEqual(await h2Get(url, {[TOKEN_HEADER]: token, authorization: `Bearer ${token}`}), {status: 401, code: 'E_UNAUTHORIZED'})
  t.deepEqual(await h2Get(url, {[TOKEN_HEADER]: `${token}x`}), {status: 401, code: 'E_UNAUTHORIZED'})
  t.deepEqual(await h2Get(url, {[TOKEN_HEADER]: `Bearer ${token}`}), {status: 401, code: 'E_UNAUTHORIZED'})
})

test('a token revoked while its session is open stops working as sync-token on that session', async (t) => {
  const {url, token, server} = await productionListener(t)
  const session = http2.connect(url)
  t.teardown(() => session.destroy())
  const get = () =>
    new Promise<number>((resolve, reject) => {
      const stream = session.request({':path': PATH, [TOKEN_HEADER]: token}, {endStream: true})
      stream.on('response', (response) => resolve(Number(response[':status'])))
      stream.on('error', reject)
      stream.resume()
    })
  t.is(await get(), 200)
  await server.storage.tokens.revoke(token)
  t.is(await get(), 401, 'the indexed header is the same token: revoked is revoked')
})

test('over HTTP/1.1 sync-token is no token', async (t) => {
  const {url, token} = await productionListener(t)
  const status = await new Promise<number>((resolve, reject) => {
    const request = http.get(`${url}${PATH}`, {headers: {[TOKEN_HEADER]: token}}, (res) => {
      res.resume()
      resolve(res.statusCode!)
    })
    request.on('error', reject)
  })
  t.is(status, 401)
})

test('to an HTTP/2 server that does not announce it (an intermediary, an older server) the client sends Authorization only', async (t) => {
  const server = await testServer(t)
  const token = await server.token('home')
  const named: boolean[] = []
  const plain = http2.createServer((req, res) => {
    named.push(TOKEN_HEADER in req.headers)
    server.callback(req as never, res as never)
  })
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve))
  const client = new JournalClient({url: `http://127.0.0.1:${(plain.address() as AddressInfo).port}`, namespace: 'home', token})
  t.teardown(() => {
    client.close()
    plain.close()
  })
  for (let i = 0; i < 3; i++) t.like(await client.changes(0), {head: 0})
  t.deepEqual(named, [false, false, false])
})

test('to our listener the client names the token as sync-token once the server has announced it', async (t) => {
  const server = await testServer(t)
  const token = await server.token('home')
  const named: boolean[] = []
  const {listener, sessions} = dualProtocolServer((req, res) => {
    named.push(TOKEN_HEADER in req.headers && !('authorization' in req.headers))
    server.callback(req as never, res as never)
  })
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
  const client = new JournalClient({url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`, namespace: 'home', token})
  t.teardown(() => {
    client.close()
    for (const session of sessions) session.destroy()
    listener.close()
  })
  for (let i = 0; i < 3; i++) t.like(await client.changes(0), {head: 0})
  // The first request leaves before the server's SETTINGS arrive.
  t.deepEqual(named, [false, true, true])
})
