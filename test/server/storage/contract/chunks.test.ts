/** Chunk storage (server/storage/types.ts NamespaceChunks), the same assertions on every backend. */
import {randomBytes} from 'node:crypto'
import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import type {NamespaceChunks} from '#server/storage/types.js'
import {useS3rver} from '../../../helpers/s3rver.js'
import {BACKENDS, postgresOnS3} from './backends.js'

const chunk = (bytes: Buffer): PackChunk => ({id: sha256Hex(bytes), bytes})
const lines = (prefix: string, count: number) => Array.from({length: count}, (_, i) => chunk(Buffer.from(`${prefix} line ${i}\n`)))
const absent = sha256Hex(Buffer.from('never stored'))
const GC = {graceMs: 0, rewriteBelow: 0.5}

/** Marks `live` in a collection, as the server's hooks mark what retained versions name. */
const marking = (live: PackChunk[], late: PackChunk[] = []) => ({
  mark: async (marks: {markHex(id: string): void}) => live.forEach((c) => marks.markHex(c.id)),
  markLate: async (marks: {markHex(id: string): void}) => late.forEach((c) => marks.markHex(c.id)),
})

async function stored(chunks: NamespaceChunks, list: PackChunk[]): Promise<void> {
  await chunks.add(list)
  await chunks.flush()
}

const s3rver = useS3rver(test)

for (const backend of [...BACKENDS, postgresOnS3(s3rver)]) {
  const name = (what: string) => `${backend.name}: ${what}`

  test(name('add, flush, missing, length, totalLength, read; durable across a restart'), async (t) => {
    const opened = await backend.open(t)
    const chunks = await opened.storage.chunks.namespace('home')
    const text = lines('risotto', 300)
    const photo = chunk(randomBytes(200_000))
    t.is(await chunks.add([...text, photo, text[0]]), 301)
    await chunks.flush()
    t.is(await chunks.add(text.slice(0, 5)), 0, 'stored chunks are not new')
    t.deepEqual(await chunks.missing([absent, text[3].id, absent, photo.id]), [absent])
    t.is(await chunks.length(photo.id), 200_000)
    t.is(await chunks.length(absent), undefined)
    t.is(await chunks.totalLength([text[0].id, text[0].id, photo.id]), 2 * text[0].bytes.length + 200_000)
    t.is(await chunks.totalLength([text[0].id, absent]), undefined)
    t.deepEqual(await chunks.read(photo.id), photo.bytes)
    t.deepEqual(await chunks.read(text[299].id), text[299].bytes)
    await t.throwsAsync(chunks.read(absent))
    const usage = await chunks.usage()
    t.true(usage.packs >= 1 && usage.bytes > 200_000 && usage.bytes < 230_000, JSON.stringify(usage))

    const again = await opened.reopen()
    const reopened = await again.chunks.namespace('home')
    t.deepEqual(await reopened.missing([...text, photo].map((c) => c.id)), [])
    t.deepEqual(await reopened.read(text[7].id), text[7].bytes)
    t.deepEqual(await (await again.chunks.namespace('work')).missing([photo.id]), [photo.id], 'namespaces do not share chunks')
    await t.throwsAsync(async () => again.chunks.namespace('../x'), {code: 'E_INVALID_INPUT'})
  })

  test(name('check reads every chunk back and finds nothing wrong in a sound store'), async (t) => {
    const chunks = await (await backend.open(t)).storage.chunks.namespace('home')
    await stored(chunks, lines('a', 2000))
    await stored(chunks, [chunk(randomBytes(300_000))])
    const report = await chunks.check()
    t.is(report.chunks, 2001)
    t.true(report.blocks >= 2 && report.packs >= 1)
    t.deepEqual(report.damaged, [])
  })

  test(name('collect drops what is not marked, keeps what is, and moves recoveries'), async (t) => {
    const chunks = await (await backend.open(t)).storage.chunks.namespace('home')
    const live = lines('live', 50)
    const dead = lines('dead', 50)
    const mixedLive = lines('mixed live', 5)
    const mixedDead = [chunk(randomBytes(100_000))]
    await stored(chunks, live)
    await stored(chunks, dead)
    await stored(chunks, [...mixedLive, ...mixedDead])
    const before = chunks.recoveries
    const dry = await chunks.collect(marking([...live, ...mixedLive]), {...GC, dryRun: true})
    t.like(dry, {chunks: 106, liveChunks: 55})
    t.deepEqual(await chunks.missing(dead.map((c) => c.id)), [], 'a dry run changes nothing')
    const report = await chunks.collect(marking([...live, ...mixedLive]), GC)
    t.like(report, {chunks: 106, liveChunks: 55})
    t.true(report.deletedPacks + report.rewrittenPacks >= 1, JSON.stringify(report))
    t.true(report.bytesAfter < report.bytesBefore)
    t.deepEqual(
      await chunks.missing([...dead, ...mixedDead].map((c) => c.id)),
      [...dead, ...mixedDead].map((c) => c.id),
    )
    t.deepEqual(await chunks.missing([...live, ...mixedLive].map((c) => c.id)), [])
    t.deepEqual(await chunks.read(mixedLive[4].id), mixedLive[4].bytes)
    t.true(chunks.recoveries > before)
    t.deepEqual((await chunks.check()).damaged, [])
    t.is((await chunks.usage()).bytes, report.bytesAfter)
  })

  test(name('collect leaves packs written within the grace alone, and keeps what markLate marks'), async (t) => {
    const chunks = await (await backend.open(t)).storage.chunks.namespace('home')
    const early = lines('early', 20)
    await stored(chunks, early)
    const kept = await chunks.collect(marking([]), {...GC, graceMs: 3_600_000})
    t.is(kept.deletedPacks, 0)
    t.deepEqual(await chunks.missing(early.map((c) => c.id)), [])
    const late = await chunks.collect(marking([], early), GC)
    t.is(late.deletedPacks, 0, 'a pack holding a chunk marked late is kept whole')
    t.deepEqual(await chunks.missing(early.map((c) => c.id)), [])
  })

  test(name('keepPresent holds off the switch of a collection until its work is done'), async (t) => {
    const opened = await backend.open(t)
    const chunks = await opened.storage.chunks.namespace('home')
    // On PostgreSQL the work runs on another instance: the lock holds across instances.
    const other = opened.another ? await (await opened.another()).chunks.namespace('home') : chunks
    const old = lines('old', 10)
    await stored(chunks, old)
    let workDone = false
    const work = other.keepPresent(async () => {
      // Many round trips and turns of the event loop: a switch not held off would run meanwhile.
      for (let i = 0; i < 20; i++) {
        t.deepEqual(await other.missing(old.map((c) => c.id)), [])
        await new Promise(setImmediate)
      }
      workDone = true
    })
    let doneAtSwitch: boolean | undefined
    const report = await chunks.collect(
      {
        mark: async () => {},
        markLate: async () => {
          doneAtSwitch = workDone
        },
      },
      GC,
    )
    await work
    t.true(doneAtSwitch)
    t.is(report.deletedPacks, 1)
  })
}
