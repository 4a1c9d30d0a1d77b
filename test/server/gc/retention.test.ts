/** Retention as readers see it: pruned entries stay listed, without ids; versions inside the window still restore after GC. */
import test from 'ava'
import {entryFromWire} from '#src/journal/read-answers.js'
import {randomBytes} from '../../helpers/random.js'
import {fileVersion, gcFixture} from './gc-fixture.js'

test('after GC a version inside the retention window still restores (entry and every chunk); past it the entry says pruned and its chunks are gone', async (t) => {
  const f = await gcFixture(t)
  const versions = Array.from({length: 3}, (_, i) => fileVersion(randomBytes(100_000, i)))
  const jids: number[] = []
  for (const version of versions) jids.push(await f.put('notes.md', version))
  await f.gc(10)
  const entry = (await f.api.get(`/v1/ns/home/entries/${jids[0]}`)).body.entry
  t.is(entry.ids, versions[0].manifest.ids)
  const fetched = await f.api.post('/v1/ns/home/packs/fetch').send({ids: versions[0].chunks.map((c) => c.id)})
  t.is(fetched.status, 200)
  // Past keepDays and the thinning (the three are of one day: the day keeps its newest, the head).
  const [report] = await f.gc(40)
  t.is(report.prunedVersions, 2)
  const pruned = (await f.api.get(`/v1/ns/home/entries/${jids[0]}`)).body.entry
  t.like(pruned, {jid: jids[0], kind: 'file', size: 100_000, pruned: true})
  t.false('ids' in pruned)
  t.like(entryFromWire(pruned), {pruned: true, size: 100_000}, 'clients read a pruned entry, not a malformed one')
  const log = (await f.api.get('/v1/ns/home/log?path=notes.md')).body.entries
  t.deepEqual(
    log.map((e: {jid: number; pruned?: boolean}) => [e.jid, e.pruned === true]),
    [
      [jids[2], false],
      [jids[1], true],
      [jids[0], true],
    ],
  )
  const changes = (await f.api.get('/v1/ns/home/changes?since=0')).body.entries
  t.is(changes.length, 3, 'the journal keeps every JID')
  t.is((await f.api.post('/v1/ns/home/packs/fetch').send({ids: versions[0].chunks.map((c) => c.id)})).status, 404)
  const stale = await f.api.post('/v1/ns/home/commit').send({device: 'x', items: [{path: 'notes.md', base: jids[0], edits: [], size: 1}]})
  t.like(stale.body.results, [{status: 'conflict', head: {jid: jids[2]}}], 'edits of a pruned base: a conflict with the head, which the client merges')
  await f.fsckClean()
})

test('namespace settings: keep-days and thin-days change what a GC prunes', async (t) => {
  const f = await gcFixture(t)
  await f.server.storage.settings.setRetention('home', {keepDays: 0, thinDays: 0})
  t.deepEqual(await f.server.storage.settings.retention('home'), {keepDays: 0, thinDays: 0})
  for (let i = 0; i < 3; i++) await f.put('a.txt', fileVersion(Buffer.from(`version ${i}\n`)))
  t.is((await f.gc(0))[0].prunedVersions, 2)
  t.is((await f.gc(0))[0].prunedVersions, 0, 'pruned once')
})

test('a dry run writes nothing and says what a run would do', async (t) => {
  const f = await gcFixture(t)
  for (let i = 0; i < 3; i++) await f.put('p.jpg', fileVersion(randomBytes(300_000, i)))
  const before = await f.packBytes()
  const [dry] = await f.gc(200, {dryRun: true})
  t.like(dry, {dryRun: true, prunedVersions: 2})
  t.true(dry.bytesAfter < before / 2)
  t.is(await f.packBytes(), before)
  t.is((await f.gc(200))[0].prunedVersions, 2)
})

test('versions committed a moment ago with their chunks inline (staged with the commit): the collection reclaims the replaced one', async (t) => {
  const f = await gcFixture(t)
  // The first version is most of its pack's bytes: the pack is rewritten without it.
  const texts = ['soup, first\n'.repeat(1000), 'soup, second\n']
  let base: number | null = null
  for (const text of texts) {
    const {manifest} = fileVersion(Buffer.from(text))
    const body = {device: 'laptop', items: [{path: 'soup.cook', base, manifest}], inlineText: [text]}
    const res: {status: number; body: {results: {jid: number}[]}} = await f.api.post('/v1/ns/home/commit').send(body)
    t.is(res.status, 200, JSON.stringify(res.body))
    base = res.body.results[0].jid
  }
  const [report] = await f.gc(40)
  t.like(report, {prunedVersions: 1, chunks: 2, liveChunks: 1, rewrittenPacks: 1})
  const [first, second] = texts.map((text) => fileVersion(Buffer.from(text)).chunks[0].id)
  t.deepEqual(await f.missing([first, second]), [first])
  await f.fsckClean()
})
