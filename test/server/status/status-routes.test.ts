/**
 * The routes the status page reads: who a token is, namespaces (admin) and one namespace's summary, recent changes,
 * and a version's bytes as a download (a tree expanded), each in its token's scope; the page itself and its CSP.
 */
import test from 'ava'
import {binary, testServer} from '../support/test-server.js'
import {HOSTILE, statusFixture} from './status-fixture.js'

test('whoami, namespaces and summary, recent changes: each for the tokens that may read them', async (t) => {
  const server = await testServer(t)
  const f = await statusFixture(t, server)
  const admin = (await server.storage.tokens.create({rights: 'admin'}, 'ops')).token
  const other = (await server.storage.tokens.create({rights: 'read-only', namespace: 'work'}, 'tablet')).token
  await server.storage.settings.setQuota('work', 2 * 1024 ** 2)

  t.deepEqual((await server.as(admin).get('/v1/whoami').expect(200)).body, {name: 'ops', rights: 'admin', namespace: null})
  t.deepEqual((await server.as(f.laptop).get('/v1/whoami').expect(200)).body, {name: 'laptop', rights: 'read-write', namespace: 'home'})
  t.is((await server.as('nope').get('/v1/whoami')).status, 401)

  const {namespaces} = (await server.as(admin).get('/v1/admin/namespaces').expect(200)).body as {
    namespaces: {namespace: string; head: number; entries: number; packs: number; bytes: number; quota: number | null}[]
  }
  t.deepEqual(
    namespaces.map(({namespace, head, entries}) => ({namespace, head, entries})),
    [
      {namespace: 'home', head: 6, entries: 6},
      {namespace: 'work', head: 0, entries: 0},
    ],
  )
  t.true(namespaces[0].packs >= 1 && namespaces[0].bytes > 1000, JSON.stringify(namespaces[0]))
  t.is(namespaces[1].bytes, 0)
  t.deepEqual(
    namespaces.map(({quota}) => quota),
    [null, 2 * 1024 ** 2],
  )
  await server.as(f.laptop).get('/v1/admin/namespaces').expect(403)
  t.like((await server.as(f.laptop).get('/v1/ns/home/summary').expect(200)).body, {namespace: 'home', head: 6, entries: 6})
  await server.as(other).get('/v1/ns/home/summary').expect(403)
  await server.as(admin).get('/v1/ns/home/summary').expect(403)

  const recent = (await server.as(f.laptop).get('/v1/ns/home/recent?limit=3').expect(200)).body as {
    head: number
    entries: {jid: number; path: string; ids?: string}[]
  }
  t.is(recent.head, 6)
  t.deepEqual(
    recent.entries.map((entry) => [entry.jid, entry.path]),
    [
      [6, 'notes/big.txt'],
      [5, 'link'],
      [4, 'link'],
    ],
  )
  t.false('ids' in recent.entries[0] || 'tree' in recent.entries[0], 'no ids')
  t.is(((await server.as(f.laptop).get('/v1/ns/home/recent').expect(200)).body as {entries: unknown[]}).entries.length, 6)
  await server.as(other).get('/v1/ns/home/recent').expect(403)
})

test("a version's bytes as a download: a file, a tree assembled from its nodes; a deletion, a symlink, a pruned or unknown JID are 404", async (t) => {
  const server = await testServer(t)
  const f = await statusFixture(t, server)
  const download = (jid: number) => f.api.get(`/v1/ns/home/entries/${jid}/content`).buffer(true).parse(binary)
  const first = await download(1).expect(200)
  t.deepEqual(first.body, f.bytes.first)
  t.is(first.headers['content-type'], 'application/octet-stream')
  t.is(first.headers['content-disposition'], `attachment; filename="Risotto.cook"; filename*=UTF-8''Risotto.cook`)
  t.is(first.headers['x-content-type-options'], 'nosniff')
  t.deepEqual((await download(2).expect(200)).body, f.bytes.second)
  const big = await download(f.bigJid).expect(200)
  t.is(big.headers['content-length'], String(f.bytes.big.length))
  t.true((big.body as Buffer).equals(f.bytes.big), 'the tree expanded, its chunks in order')
  t.is(big.headers['content-disposition'], `attachment; filename="big.txt"; filename*=UTF-8''big.txt`)
  // A hostile name cannot break out of the header.
  const hostile = await download(3).expect(200)
  t.is(
    hostile.headers['content-disposition'],
    `attachment; filename="<img src=x onerror=_document.title='pwned'_>&amp; _q_.cook"; filename*=UTF-8''${encodeURIComponent(HOSTILE)}`,
  )

  for (const [jid, pattern] of [
    [5, /deletes link/],
    [4, /symlink to Risotto.cook/],
    [99, /not in this namespace/],
  ] as const) {
    const res = await download(jid)
    t.is(res.status, 404)
    t.regex((JSON.parse(String(res.body)) as {error: {message: string}}).error.message, pattern)
  }
  await server.storage.journal.prune('home', [1])
  const pruned = await download(1)
  t.is(pruned.status, 404)
  t.like(JSON.parse(String(pruned.body)), {error: {code: 'E_NOT_FOUND', data: {pruned: true}}})
  await f.api.get('/v1/ns/home/entries/x/content').expect(400)
  const reader = (await server.storage.tokens.create({rights: 'read-only', namespace: 'home'}, 'reader')).token
  await server.as(reader).get('/v1/ns/home/entries/2/content').expect(200)
  await server
    .as(await server.adminToken())
    .get('/v1/ns/home/entries/2/content')
    .expect(403)
})

test('the page: HTML with no data in it, a CSP that allows only its own script and style and requests to this server', async (t) => {
  const server = await testServer(t)
  const {default: request} = await import('supertest')
  const page = await request(server.callback).get('/status').expect(200)
  t.is(page.headers['content-type'], 'text/html; charset=utf-8')
  const csp = page.headers['content-security-policy']
  t.regex(csp, /default-src 'none'/)
  t.regex(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/)
  t.regex(csp, /connect-src 'self'/)
  t.notRegex(csp, /unsafe-inline|unsafe-eval/)
  t.is(page.headers['referrer-policy'], 'no-referrer')
  t.regex(page.text, /<form id="login"/)
  t.notRegex(page.text, /innerHTML|insertAdjacentHTML|document\.write/, 'the script writes text, never markup')
})
