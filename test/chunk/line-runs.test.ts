/**
 * Text of a large file is cut into runs of whole lines (cut.ts, docs/hashing.md): chunks of a few KiB that end at
 * a line's end where the content says, so that an inserted line changes the run around it and no other, and a
 * file of any size keeps its chunk count (and the memory of its ids) a thousandth of its bytes.
 */
import {createHash} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {Chunker} from '#src/chunk/chunker.js'
import {CDC} from '#src/chunk/cdc.js'
import {LINE_RUNS, LINE_RUNS_FROM_BYTES, cutModeOf} from '#src/chunk/cut.js'
import {hashifyFile} from '#src/files/hashify-file.js'
import {seededRandom} from '../helpers/random.js'
import {tempStore} from '../helpers/store.js'
import {tempDir} from '../helpers/temp.js'

/** Lines of 0 to 120 bytes, some CRLF, like notes or a log. */
function lines(count: number, seed: number): string[] {
  const random = seededRandom(seed)
  return Array.from({length: count}, (_, i) => `${i}:${'word '.repeat(Math.floor(random() * 24))}`.trimEnd() + (random() < 0.05 ? '\r\n' : '\n'))
}

function runs(input: Buffer): Buffer[] {
  const chunker = new Chunker('text-runs')
  const out: Buffer[] = []
  chunker.push(input, (chunk) => out.push(Buffer.from(chunk)))
  chunker.end((chunk) => out.push(Buffer.from(chunk)))
  return out
}

test('runs are whole lines, at least the minimum and at most the maximum, about 2 KiB on average', (t) => {
  const input = Buffer.from(lines(60_000, 1).join(''))
  const chunks = runs(input)
  t.true(Buffer.concat(chunks).equals(input))
  t.true(chunks.every((chunk) => chunk.at(-1) === 0x0a))
  t.true(chunks.every((chunk) => chunk.length <= LINE_RUNS.max))
  t.true(chunks.slice(0, -1).every((chunk) => chunk.length >= LINE_RUNS.min))
  const average = input.length / chunks.length
  t.true(average > 1200 && average < 3000, `average ${average.toFixed(0)} bytes`)
})

test('an inserted line changes the run it falls in and no other; the rest keep their ids', (t) => {
  const text = lines(40_000, 2)
  const before = runs(Buffer.from(text.join(''))).map((chunk) => chunk.toString('latin1'))
  for (const at of [0, 17, 20_000, 39_999]) {
    const edited = [...text.slice(0, at), 'a line typed in the middle of it all\n', ...text.slice(at)]
    const after = runs(Buffer.from(edited.join(''))).map((chunk) => chunk.toString('latin1'))
    const kept = new Set(before)
    const fresh = after.filter((chunk) => !kept.has(chunk))
    t.true(fresh.length >= 1 && fresh.length <= 2, `insert at line ${at}: ${fresh.length} new chunks`)
    t.true(after.length - fresh.length >= before.length - 2, `insert at line ${at}: the other runs are the same`)
  }
})

test('a line longer than a run is a chunk of its own, and one longer than a chunk is cut by content', (t) => {
  const long = `${'x'.repeat(LINE_RUNS.max * 2)}\n`
  const huge = `${'y'.repeat(CDC.max * 3)}\n`
  const head = lines(500, 3).join('')
  const input = Buffer.from(`${head}${long}${head}${huge}${head}`)
  const chunks = runs(input).map((chunk) => chunk.toString('latin1'))
  t.true(chunks.includes(long))
  t.true(chunks.every((chunk) => chunk.length <= CDC.max))
  t.is(chunks.join(''), input.toString('latin1'))
})

test('text files from 8 MiB on are cut into runs; smaller ones and binary files as before', async (t) => {
  t.is(cutModeOf('text', LINE_RUNS_FROM_BYTES - 1), 'text')
  t.is(cutModeOf('text', LINE_RUNS_FROM_BYTES), 'text-runs')
  t.is(cutModeOf('binary', 10 * LINE_RUNS_FROM_BYTES), 'binary')
  const dir = await tempDir(t)
  const {store} = await tempStore(t)
  const text = lines(300_000, 4)
  let body = text.join('')
  while (Buffer.byteLength(body) < LINE_RUNS_FROM_BYTES) body += text.join('')
  await writeFile(path.join(dir, 'big.txt'), body)
  // Through the hashing thread (a big file) and on this thread: the same runs.
  const hashed = await hashifyFile(store, path.join(dir, 'big.txt'))
  const here = await hashifyFile(store, path.join(dir, 'big.txt'), {workerMinBytes: Number.MAX_SAFE_INTEGER})
  t.deepEqual(hashed.ids.toHexArray(), here.ids.toHexArray())
  t.true(hashed.ids.length < Buffer.byteLength(body) / LINE_RUNS.min, `${hashed.ids.length} chunks for ${Buffer.byteLength(body)} bytes`)
  t.true(hashed.ids.length > Buffer.byteLength(body) / LINE_RUNS.max)
})

test('a line that recurs (a blank line between every two) neither ends every run nor none', (t) => {
  const input = Buffer.from(lines(60_000, 5).join('\n'))
  const sizes = runs(input).map((chunk) => chunk.length)
  const average = input.length / sizes.length
  t.true(average > 1200 && average < 3000, `average ${average.toFixed(0)} bytes`)
  t.true(sizes.filter((size) => size === LINE_RUNS.max).length < sizes.length / 20, 'runs cut by content, not by the maximum')
})

test('where runs end is part of the format: the same text cuts the same, pinned here', (t) => {
  // Changing the rule changes this digest: a deliberate change of format (docs/storage.md, Chunks), never a side effect.
  const lengths = runs(Buffer.from(lines(20_000, 6).join(''))).map((chunk) => chunk.length)
  t.is(createHash('sha256').update(lengths.join(',')).digest('hex'), '1752bf096d07411b509ff3fa96e76ab0c407b22a53c7645cda13bb371ea60d22')
})
