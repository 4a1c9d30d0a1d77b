/** The scenarios: history past retention is pruned and the store shrinks to what is kept. */
import test from 'ava'
import {randomBytes} from '../../helpers/random.js'
import {fileVersion, gcFixture} from './gc-fixture.js'

const MB = 1024 * 1024

test('a 3 MB photo rewritten five times and deleted, past retention: the store keeps only the live photo (within 1.2x)', async (t) => {
  const f = await gcFixture(t)
  const live = fileVersion(randomBytes(3 * MB, 99))
  await f.put('live.jpg', live)
  const versions = Array.from({length: 5}, (_, i) => fileVersion(randomBytes(3 * MB, i)))
  for (const version of versions) await f.put('photo.jpg', version)
  await f.commit([{path: 'photo.jpg', deleted: true}])
  const before = await f.packBytes()
  t.true(before > 18 * MB)
  const [report] = await f.gc(200)
  t.is(report.prunedVersions, 5)
  const after = await f.packBytes()
  t.is(report.bytesAfter, after)
  t.true(after <= 1.2 * 3 * MB, `${after} bytes kept for 3 MB live`)
  t.deepEqual(await f.missing(live.chunks.map((c) => c.id)), [])
  t.is((await f.missing(versions[4].chunks.map((c) => c.id))).length, versions[4].chunks.length)
  await f.fsckClean()
})

test('a deleted file keeps its last version for the retention period after its deletion (then thinned), then loses it', async (t) => {
  const f = await gcFixture(t)
  const version = fileVersion(randomBytes(200_000, 5))
  const jid = await f.put('photo.jpg', version)
  await f.commit([{path: 'photo.jpg', deleted: true}])
  t.is((await f.gc(10))[0].prunedVersions, 0)
  t.deepEqual(await f.missing(version.chunks.map((c) => c.id)), [])
  t.like((await f.api.get(`/v1/ns/home/entries/${jid}`)).body.entry, {ids: version.manifest.ids})
  t.is((await f.gc(31))[0].prunedVersions, 0, 'then one a day for 90 days')
  t.is((await f.gc(121))[0].prunedVersions, 1)
  t.is((await f.missing(version.chunks.map((c) => c.id))).length, version.chunks.length)
})

test('200 one-line edits of a recipe, past retention: the head is kept and the store shrinks to it', async (t) => {
  const f = await gcFixture(t)
  const lines = Array.from({length: 40}, (_, i) => `- step ${i}: stir the @rice{${i}%g} gently\n`)
  let head = fileVersion(Buffer.from(lines.join('')), 1)
  for (let edit = 0; edit < 200; edit++) {
    lines[edit % 40] = `- step ${edit % 40}, edit ${edit}: stir @rice{${edit}%g}\n`
    const text = lines.join('')
    const chunks = lines.map((line) => fileVersion(Buffer.from(line), 1 << 20).chunks[0])
    head = {chunks, manifest: fileVersion(Buffer.from(text), 1 << 20).manifest}
    head.manifest.ids = Buffer.concat(chunks.map((c) => Buffer.from(c.id, 'hex'))).toString('base64')
    await f.put('Risotto.cook', head)
  }
  const before = await f.packBytes()
  const [report] = await f.gc(200)
  t.is(report.prunedVersions, 199)
  const after = await f.packBytes()
  const liveBytes = Buffer.byteLength(lines.join(''))
  // A pack's own framing: one 512-byte tar header, padding to 512, the 1 KiB end-of-archive marker.
  t.true(after <= 1.2 * liveBytes + 2048, `${before} -> ${after} bytes for ${liveBytes} live`)
  t.deepEqual(await f.missing(head.chunks.map((c) => c.id)), [])
  await f.fsckClean()
})
