/**
 * A stand-in server for negotiation tests: it answers health as told (an older server's, or this one's), commits
 * as committed, uploads as received, and anything else as `answer` says, noting every request as it came.
 */
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import type {ExecutionContext} from 'ava'
import {JournalClient} from '#src/journal/journal-client.js'

export interface SeenRequest {
  path: string
  encoding?: string
  accept?: string
  acceptEncoding?: string
  body: Buffer
}

export async function standIn(
  t: ExecutionContext,
  health: object,
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => void res.end('{}'),
): Promise<{client: JournalClient; seen: SeenRequest[]}> {
  const seen: SeenRequest[] = []
  const server = http.createServer(async (req, res) => {
    const parts: Buffer[] = []
    for await (const part of req) parts.push(part as Buffer)
    const {url = '', headers} = req
    seen.push({
      path: url,
      encoding: headers['content-encoding'],
      accept: headers.accept,
      acceptEncoding: headers['accept-encoding'],
      body: Buffer.concat(parts),
    })
    res.setHeader('Content-Type', 'application/json')
    if (url === '/v1/health') return void res.end(JSON.stringify(health))
    if (url.endsWith('/commit')) return void res.end(JSON.stringify({results: [{status: 'committed', jid: 1}]}))
    if (url.endsWith('/packs')) return void res.end(JSON.stringify({received: 0, stored: 0}))
    answer(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  const client = new JournalClient({url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, namespace: 'home', token: 'x'})
  t.teardown(() => client.close())
  return {client, seen}
}
