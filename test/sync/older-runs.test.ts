/**
 * Big text files cut by an older version's rules (src/chunk/cut.ts: the first runs of 2026-12-04, 2 KiB minimum,
 * 16 KiB maximum, one line's hash, 1 in 32): a version such a device committed stays readable by this one, which
 * writes it byte for byte, and an edit made here (cut by today's rules) reaches a device that held the old one.
 * Chunk ids name bytes, not cuts: no version ever needs cutting again to be read.
 */
import {readFile, writeFile} from 'node:fs/promises'
import test from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {fsckServer} from '#server/fsck.js'
import {makeDevice} from '../helpers/device.js'
import {seededRandom} from '../helpers/random.js'
import {startTestServer} from '../helpers/server.js'

/** The first rules for runs of lines, as a device of that version cut them (a reference, kept here). */
function firstRuleRuns(text: Buffer): Buffer[] {
  const runs: Buffer[] = []
  let start = 0
  let pos = 0
  while (pos < text.length) {
    const end = text.indexOf(0x0a, pos) + 1
    if (end - start > 16 * 1024 && pos > start) {
      runs.push(text.subarray(start, pos))
      start = pos
      continue
    }
    let hash = 0x811c9dc5
    for (let p = pos; p < end; p++) hash = Math.imul(hash ^ text[p], 0x01000193)
    pos = end
    if ((end - start >= 2048 && hash >>> 27 === 0) || pos === text.length) {
      runs.push(text.subarray(start, pos))
      start = pos
    }
  }
  return runs
}

/** About 12 MB of log lines (runs from 8 MiB on), each line ending in a newline. */
function logLines(): string[] {
  const random = seededRandom(21)
  return Array.from({length: 160_000}, (_, i) => `${i} level=${random() < 0.1 ? 'warn' : 'info'} ${'event '.repeat(4 + Math.floor(random() * 12))}\n`)
}

test('a version cut by the first rules for runs is read here byte for byte, and an edit made here reaches its device', async (t) => {
  const server = await startTestServer(t)
  const older = await makeDevice(t, server, 'older')
  const b = await makeDevice(t, server, 'b')
  const lines = logLines()
  const text = Buffer.from(lines.join(''))
  t.true(text.length >= 8 * 1024 * 1024)

  // What the older device committed: its runs, uploaded, and a manifest naming them.
  const store = older.folder.store
  const ids = firstRuleRuns(text).map((run) => store.add(run))
  await store.flush()
  await older.client.upload(store, ids)
  const [committed] = await older.client.commit([{path: 'app.log', base: null, manifest: fileManifest(IdList.fromHex(ids), text.length)}], {device: 'older'})
  t.is(committed.status, 'committed')

  await b.pass()
  t.true((await readFile(b.file('app.log'))).equals(text))

  const edited = [...lines.slice(0, 80_000), 'an edited line\n', ...lines.slice(80_000)].join('')
  await writeFile(b.file('app.log'), edited)
  const edit = await b.pass()
  t.is(edit.uploaded, 1)
  const head = await server.storage.journal.entry('recipes', await server.storage.journal.head('recipes'))
  t.is(head?.device, 'b')

  await older.pass()
  t.is(await readFile(older.file('app.log'), 'utf8'), edited)
  const [check] = await fsckServer(server.storage)
  t.deepEqual(check.incomplete, [])
  t.deepEqual(check.damaged, [])
})
