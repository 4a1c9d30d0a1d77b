import test from 'ava'
import {CDC} from '#src/chunk/cdc.js'
import {Chunker} from '#src/chunk/chunker.js'
import type {CutMode} from '#src/chunk/cut.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {randomBytes, seededRandom} from '../helpers/random.js'

function chunk(kind: CutMode, input: Buffer, pieces: number[] = [input.length]): Buffer[] {
  const chunker = new Chunker(kind)
  const out: Buffer[] = []
  const sink = (c: Buffer) => out.push(Buffer.from(c))
  let at = 0
  for (const size of pieces) {
    chunker.push(input.subarray(at, at + size), sink)
    at += size
  }
  chunker.push(input.subarray(at), sink)
  chunker.end(sink)
  return out
}

const text = (s: string) => Buffer.from(s, 'latin1')

/**
 * Where two chunk lists first differ (-1 when equal). Compared byte for byte here because t.deepEqual walks
 * every byte of every Buffer through ava's formatter: seconds per megabyte.
 */
function firstDifference(a: Buffer[], b: Buffer[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (!a[i] || !b[i] || !a[i].equals(b[i])) return i
  return -1
}
const asText = (chunks: Buffer[]) => chunks.map((c) => c.toString('latin1'))

test('text: one chunk per line, each with its newline', (t) => {
  t.deepEqual(asText(chunk('text', text('a\nbb\n\nccc\n'))), ['a\n', 'bb\n', '\n', 'ccc\n'])
})

test('text: the last line without a newline is a chunk of its own', (t) => {
  t.deepEqual(asText(chunk('text', text('a\nlast'))), ['a\n', 'last'])
})

test('text: CRLF stays inside the line, a lone CR does not end one', (t) => {
  t.deepEqual(asText(chunk('text', text('a\r\nb\rc\n'))), ['a\r\n', 'b\rc\n'])
})

test('text: empty input has no chunks', (t) => {
  t.deepEqual(chunk('text', Buffer.alloc(0)), [])
  t.deepEqual(chunk('binary', Buffer.alloc(0)), [])
})

test('text: NUL bytes and invalid UTF-8 are just bytes', (t) => {
  const input = Buffer.from([0x61, 0x00, 0x62, 0x0a, 0xff, 0xfe, 0xc3, 0x0a, 0x80])
  const chunks = chunk('text', input)
  t.deepEqual(
    chunks.map((c) => [...c]),
    [[0x61, 0x00, 0x62, 0x0a], [0xff, 0xfe, 0xc3, 0x0a], [0x80]],
  )
})

test('text: the chunks do not depend on how the input was split into reads', (t) => {
  const random = seededRandom(7)
  const lines: string[] = []
  for (let i = 0; i < 2000; i++) lines.push('x'.repeat(Math.floor(random() * 120)) + (random() < 0.1 ? '\r\n' : '\n'))
  const input = text(lines.join(''))
  const whole = chunk('text', input)
  for (let trial = 0; trial < 20; trial++) {
    const pieces: number[] = []
    for (let left = input.length; left > 0;) {
      const size = 1 + Math.floor(random() * 300)
      pieces.push(Math.min(size, left))
      left -= size
    }
    t.is(firstDifference(chunk('text', input, pieces), whole), -1, `trial ${trial}`)
  }
})

test('text: a 10 MB line is cut into bounded content-defined chunks that rebuild it', (t) => {
  const line = Buffer.concat([randomBytes(10 * 1024 * 1024, 3).map((b) => (b === 0x0a ? 0x20 : b)), text('\n')])
  const chunks = chunk('text', line, [1 << 20, 1 << 20, 3, 5 << 20])
  t.true(chunks.length > (10 * 1024) / 64)
  t.true(chunks.every((c) => c.length <= CDC.max))
  t.true(Buffer.concat(chunks).equals(line))
  t.is(firstDifference(chunks, chunk('text', line)), -1)
})

test('binary: chunks are between min and max, except the last', (t) => {
  const input = randomBytes(2 * 1024 * 1024, 11)
  const chunks = chunk('binary', input, [100_000, 700_000])
  t.true(Buffer.concat(chunks).equals(input))
  for (const c of chunks.slice(0, -1)) t.true(c.length >= CDC.min && c.length <= CDC.max)
  const average = input.length / chunks.length
  t.true(average > CDC.avg / 2 && average < CDC.avg * 2, `average chunk ${average}`)
})

test('binary: inserting 100 bytes at the start of a 5 MB file changes at most two chunks', (t) => {
  const original = randomBytes(5 * 1024 * 1024, 5)
  const edited = Buffer.concat([randomBytes(100, 6), original])
  const before = new Set(chunk('binary', original).map(sha256Hex))
  const after = chunk('binary', edited).map(sha256Hex)
  const changed = after.filter((id) => !before.has(id))
  t.true(after.length > 100)
  t.true(changed.length <= 2, `${changed.length} chunks changed`)
})

test('binary: an edit in the middle changes only the chunks around it', (t) => {
  const original = randomBytes(3 * 1024 * 1024, 9)
  const edited = Buffer.from(original)
  edited.fill(0x41, 1_500_000, 1_500_010)
  const before = new Set(chunk('binary', original).map(sha256Hex))
  const changed = chunk('binary', edited)
    .map(sha256Hex)
    .filter((id) => !before.has(id))
  t.true(changed.length >= 1 && changed.length <= 2, `${changed.length} chunks changed`)
})

/** Chunks as hashify takes them: views kept until push returns, then copied; the read buffer is reused. */
function chunkThroughReusedBuffer(kind: CutMode, input: Buffer, readSize: number): Buffer[] {
  const chunker = new Chunker(kind)
  const read = Buffer.alloc(readSize)
  const out: Buffer[] = []
  let views: Buffer[] = []
  const keep = (c: Buffer) => views.push(c)
  const copyViews = () => {
    out.push(...views.map((v) => Buffer.from(v)))
    views = []
  }
  for (let at = 0; at < input.length; at += readSize) {
    const n = input.copy(read, 0, at, at + readSize)
    chunker.push(read.subarray(0, n), keep)
    copyViews()
    read.fill(0xee)
  }
  chunker.end(keep)
  copyViews()
  return out
}

for (const kind of ['text', 'text-runs', 'binary'] as const) {
  test(`${kind}: chunks stay valid until the next push, whatever the read size`, (t) => {
    const random = seededRandom(21)
    const lines: Buffer[] = []
    for (let i = 0; i < 3000; i++)
      lines.push(Buffer.concat([randomBytes(Math.floor(random() * 400), i).map((b) => (b === 0x0a ? 0x2e : b)), Buffer.from('\n')]))
    // Long lines too: cut by content, across reads.
    lines.push(Buffer.from(randomBytes(200_000, 77).map((b) => (b === 0x0a ? 0x2e : b))))
    const input = Buffer.concat(lines)
    const whole = chunk(kind, input)
    for (const readSize of [1, 7, 4096, CDC.max - 1, CDC.max, CDC.max + 1, 1 << 20]) {
      t.is(firstDifference(chunkThroughReusedBuffer(kind, input, readSize), whole), -1, `reads of ${readSize}`)
    }
  })
}
