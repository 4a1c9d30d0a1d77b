/** The production listener: HTTP/2 (h2c) and HTTP/1.1 on one port, each handed the TCP connection itself. */
import http from 'node:http'
import test from 'ava'
import {JournalClient} from '#src/journal/journal-client.js'
import {productionListener} from '../journal/support/production-listener.js'

test('an HTTP/2 session reads its TCP connection natively, with no stream in JavaScript between them', async (t) => {
  const {url, token, sessions} = await productionListener(t)
  const client = new JournalClient({url, namespace: 'home', token})
  t.teardown(() => client.close())
  t.like(await client.changes(0), {head: 0})
  t.is(sessions.size, 1)
  const [session] = sessions
  // node wraps any other Duplex in a JSStreamSocket, whose handle is a JSStream: every frame then crosses
  // JavaScript twice on its way between the kernel and nghttp2.
  t.is((session.socket as unknown as {_handle: object})._handle.constructor.name, 'TCP')
})

test('HTTP/1.1 on the same port gets its answer, first bytes included', async (t) => {
  const {url, token} = await productionListener(t)
  const answer = await new Promise<{status: number; body: string}>((resolve, reject) => {
    const request = http.get(`${url}/v1/ns/home/changes?since=0`, {headers: {authorization: `Bearer ${token}`}}, (res) => {
      let body = ''
      res.on('data', (data: Buffer) => (body += data))
      res.on('end', () => resolve({status: res.statusCode!, body}))
    })
    request.on('error', reject)
  })
  t.is(answer.status, 200)
  t.like(JSON.parse(answer.body), {head: 0})
})
