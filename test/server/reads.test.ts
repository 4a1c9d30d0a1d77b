import test from 'ava'
import {applyEdits} from '#src/manifest/edits.js'
import {editsFromWire, idsFromWire} from '#src/manifest/wire.js'
import {testServer} from './support/test-server.js'
import {inlineIds, inlineOf, version} from './support/versions.js'
import type {InlineWire} from '#src/journal/inline-wire.js'
import {waitFor} from '../helpers/wait-for.js'
import {manualTimer} from './support/manual-timer.js'
import type {AppOptions} from '#server/app.js'
import {DEFAULT_HEALTH} from '../helpers/health.js'
import {MISFITS_BEFORE_STOP} from '#server/routes/inline-chunks.js'

const lines = (n: number, tag = '') => Array.from({length: n}, (_, i) => `line ${i}${tag}\n`)

async function setup(t: Parameters<typeof testServer>[0], options: AppOptions = {}) {
  const server = await testServer(t, options)
  const api = server.as(await server.token('home'))
  const commit = async (items: unknown[], inline?: InlineWire) => {
    const res = await api.post('/v1/ns/home/commit').send({items, ...inline})
    t.is(res.status, 200, JSON.stringify(res.body))
    return res.body.results
  }
  return {server, api, commit}
}

test('changes pages in JID order; paging with since=last sees every entry once', async (t) => {
  const {api, commit} = await setup(t)
  const file = version('x\n')
  for (let i = 0; i < 25; i++) await commit([{path: `f${i}.cook`, base: null, manifest: file.manifest}], file.inline)
  const seen: number[] = []
  let since = 0
  for (;;) {
    const {body} = await api.get(`/v1/ns/home/changes?since=${since}&limit=7`)
    t.is(body.head, 25)
    seen.push(...body.entries.map((e: {jid: number}) => e.jid))
    t.is(body.last, body.entries.at(-1)?.jid ?? since)
    since = body.last
    if (!body.more) break
  }
  t.deepEqual(
    seen,
    Array.from({length: 25}, (_, i) => i + 1),
  )
  const limited = await api.get('/v1/ns/home/changes?since=0&limit=99999')
  t.is(limited.body.entries.length, 25)
})

test('changes sends a small edit as edits from prev, with the new chunk inline; entries/{jid} has the full ids', async (t) => {
  const {api, commit} = await setup(t)
  const before = version(...lines(50))
  const after = version(...lines(50).map((line, i) => (i === 20 ? 'a changed line\n' : line)))
  await commit([{path: 'big.cook', base: null, manifest: before.manifest}], before.inline)
  await commit([{path: 'big.cook', base: 1, manifest: after.manifest}], after.inline)
  const {body} = await api.get('/v1/ns/home/changes?since=1&inline=262144')
  const [entry] = body.entries
  t.is(entry.ids, undefined)
  const edits = editsFromWire(entry.edits)
  t.true(applyEdits(idsFromWire(before.wireIds), edits).equals(idsFromWire(after.wireIds)))
  t.deepEqual(body.inlineText, ['a changed line\n'])
  t.is(body.inline, undefined)
  t.is((await api.get('/v1/ns/home/entries/2')).body.entry.ids, after.wireIds)
  // Without inline, no inline; the first version (no prev) comes with its full ids.
  const first = (await api.get('/v1/ns/home/changes?since=0')).body
  t.is(first.inline, undefined)
  t.is(first.entries[0].ids, before.wireIds)
})

test('inline is bounded: chunks that would pass the budget are left out', async (t) => {
  const {api, commit} = await setup(t)
  const file = version('a'.repeat(100) + '\n', 'b'.repeat(5000) + '\n', 'c'.repeat(100) + '\n')
  await commit([{path: 'f.cook', base: null, manifest: file.manifest}], file.inline)
  const {body} = await api.get('/v1/ns/home/changes?since=0&inline=1000')
  t.deepEqual(inlineIds(body), [file.ids[0], file.ids[2]].sort())
})

test('inline stops after MISFITS_BEFORE_STOP chunks that did not fit: a full budget is not compared with every chunk of the page', async (t) => {
  const {api, commit} = await setup(t)
  // 990 bytes fill a budget of 1,000 but for 10: each 20-byte line after them does not fit; the 4-byte one would.
  const big = 'x'.repeat(989) + '\n'
  const misfits = (n: number) => Array.from({length: n}, (_, i) => `misfit ${String(i).padStart(11, '0')}\n`)
  const small = 'end\n'
  const before = version(big, ...misfits(MISFITS_BEFORE_STOP - 1), small)
  await commit([{path: 'before.cook', base: null, manifest: before.manifest}], before.inline)
  const first = (await api.get('/v1/ns/home/changes?since=0&inline=1000')).body
  t.deepEqual(inlineIds(first), [before.ids[0], before.ids.at(-1)].sort(), 'one misfit short of the stop, the small chunk after them still goes')
  const past = version(big.replace('x', 'y'), ...misfits(MISFITS_BEFORE_STOP), small.replace('end', 'fin'))
  await commit([{path: 'past.cook', base: null, manifest: past.manifest}], past.inline)
  const second = (await api.get('/v1/ns/home/changes?since=1&inline=1000')).body
  t.deepEqual(inlineIds(second), [past.ids[0]], 'past the stop, nothing more is looked at')
})

test('a move carries no chunks inline: they are in the version moved', async (t) => {
  const {api, commit} = await setup(t)
  const file = version(...lines(10))
  await commit([{path: 'a.cook', base: null, manifest: file.manifest}], file.inline)
  await commit([{path: 'b.cook', base: null, from: {path: 'a.cook', base: 1}, manifest: file.manifest}])
  t.deepEqual(inlineIds((await api.get('/v1/ns/home/changes?since=1&inline=262144')).body), [])
})

test('a long-poll is answered by a commit to its namespace, and only its namespace', async (t) => {
  const clock = manualTimer()
  const {server, api, commit} = await setup(t, {setTimer: clock.setTimer})
  const other = server.as(await server.token('other'))
  const file = version('x\n')
  let otherAnswered = false
  const otherPoll = other.get('/v1/ns/other/changes?since=0&wait=1').then((res) => {
    otherAnswered = true
    return res
  })
  const poll = api.get('/v1/ns/home/changes?since=0&wait=30&inline=1000').then((res) => res)
  await waitFor('both long-polls to be waiting', () => server.waiters.count === 2)
  await commit([{path: 'a.cook', base: null, manifest: file.manifest}], file.inline)
  const res = await poll
  t.is(res.body.entries.length, 1)
  t.is(res.body.entries[0].path, 'a.cook')
  t.deepEqual(inlineIds(res.body), [...file.ids].sort())
  t.false(otherAnswered)
  t.is(server.waiters.count, 1)
  // Its second passes: answered, with nothing.
  clock.advance(1000)
  const quiet = await otherPoll
  t.deepEqual(quiet.body, {entries: [], last: 0, head: 0, more: false})
})

test('a long-poll with changes already there answers at once (a wait over 60 s is taken as 60)', async (t) => {
  const {server, api, commit} = await setup(t)
  const file = version('x\n')
  await commit([{path: 'a.cook', base: null, manifest: file.manifest}], file.inline)
  const res = await api.get('/v1/ns/home/changes?since=0&wait=3600')
  t.is(res.body.entries.length, 1)
  t.is(server.waiters.count, 0)
})

test('draining answers every long-poll at once', async (t) => {
  const {server, api} = await setup(t)
  const polls = [1, 2].map(() => api.get('/v1/ns/home/changes?since=0&wait=60').then((res) => res))
  await waitFor('2 long-polls waiting', () => server.waiters.count === 2)
  server.drain()
  for (const res of await Promise.all(polls)) {
    t.is(res.status, 200)
    t.deepEqual(res.body.entries, [])
    t.is(res.headers.connection, 'close')
  }
})

test('log lists what touched a path, newest first, paged by before; heads are paged by path', async (t) => {
  const {api, commit} = await setup(t)
  const a = version('a\n')
  const b = version('b\n')
  await commit([{path: 'x.cook', base: null, manifest: a.manifest}], inlineOf(a, b))
  await commit([{path: 'y.cook', base: null, manifest: a.manifest}])
  await commit([{path: 'x.cook', base: 1, manifest: b.manifest}])
  await commit([{path: 'x.cook', base: 3, deleted: true}])
  await commit([{path: 'z.cook', base: null, manifest: b.manifest}])
  const page = (await api.get('/v1/ns/home/log?path=x.cook&limit=2')).body
  t.deepEqual(
    page.entries.map((e: {jid: number; kind: string}) => [e.jid, e.kind]),
    [
      [4, 'deleted'],
      [3, 'file'],
    ],
  )
  t.true(page.more)
  t.is(page.entries[1].ids, undefined)
  t.is(page.entries[1].size, 2)
  const rest = (await api.get('/v1/ns/home/log?path=x.cook&before=3')).body
  t.deepEqual(
    rest.entries.map((e: {jid: number}) => e.jid),
    [1],
  )
  t.false(rest.more)
  const first = (await api.get('/v1/ns/home/heads?limit=1')).body
  t.deepEqual(
    first.heads.map((h: {path: string}) => h.path),
    ['y.cook'],
  )
  t.like(first, {jid: 5, more: true})
  t.is(first.heads[0].ids, a.wireIds)
  const second = (await api.get('/v1/ns/home/heads?after=y.cook')).body
  t.deepEqual(
    second.heads.map((h: {path: string}) => h.path),
    ['z.cook'],
  )
  t.false(second.more)
  // A position is any path the journal may hold, also one the rules of an earlier version let in.
  const afterOld = (await api.get('/v1/ns/home/heads?after=notes%2F.sync%2Fconfig.json')).body
  t.deepEqual(
    afterOld.heads.map((h: {path: string}) => h.path),
    ['y.cook', 'z.cook'],
  )
})

test('health needs no token; metrics (an admin token) count requests, commits, waiters, bytes and errors', async (t) => {
  const {server, api, commit} = await setup(t)
  const health = await server.as('').get('/v1/health').unset('Authorization')
  t.deepEqual(health.body, DEFAULT_HEALTH)
  t.false('date' in health.headers)
  const file = version('x\n')
  await commit([{path: 'a.cook', base: null, manifest: file.manifest}], file.inline)
  t.is((await api.post('/v1/ns/home/commit').send({items: [{path: 'a.cook', base: 9, manifest: file.manifest}]})).status, 404)
  await api.get('/v1/ns/other/changes')
  const metrics = (await server.as(await server.adminToken()).get('/metrics')).text
  t.regex(metrics, /sync_http_requests_total\{route="\/v1\/ns\/:ns\/commit",method="POST",status="200"\} 1/)
  t.regex(metrics, /sync_commit_items_total\{status="committed"\} 1/)
  t.regex(metrics, /sync_journal_entries_total 1/)
  t.regex(metrics, /sync_chunks_stored_total 1/)
  t.regex(metrics, /sync_errors_total\{code="E_NOT_FOUND"\} 1/)
  t.regex(metrics, /sync_errors_total\{code="E_FORBIDDEN"\} 1/)
  t.regex(metrics, /sync_longpoll_waiters 0/)
  t.regex(metrics, /sync_http_received_bytes_total [1-9]\d*/)
  t.regex(metrics, /sync_http_sent_bytes_total [1-9]\d*/)
})

test('edits in changes are only relative to a version that left a file at the path', async (t) => {
  const {api, commit} = await setup(t)
  const file = version(...lines(30))
  const again = version(...lines(30).map((line, i) => (i === 3 ? 'changed\n' : line)))
  await commit([{path: 'p.cook', base: null, manifest: file.manifest}], inlineOf(file, again))
  await commit([{path: 'q.cook', base: null, from: {path: 'p.cook', base: 1}, manifest: file.manifest}])
  // p.cook comes back: its prev (the move away) left no file there, so its ids come in full.
  t.deepEqual(await commit([{path: 'p.cook', base: null, manifest: again.manifest}]), [{status: 'committed', jid: 3}])
  const [entry] = (await api.get('/v1/ns/home/changes?since=2')).body.entries
  t.like(entry, {prev: 2, ids: again.wireIds})
  t.is(entry.edits, undefined)
})
