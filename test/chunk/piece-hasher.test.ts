import test from 'ava'
import {CDC} from '#src/chunk/cdc.js'
import {Chunker} from '#src/chunk/chunker.js'
import type {CutMode} from '#src/chunk/cut.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {type Piece, PieceHasher, hashPiece} from '#src/chunk/piece-hasher.js'
import {randomBytes, seededRandom} from '../helpers/random.js'

/** Lines of every length up to a few hundred bytes, CRLFs, two lines longer than a chunk, and random bytes. */
function mixedInput(seed: number): Buffer {
  const random = seededRandom(seed)
  const parts: Buffer[] = []
  for (let i = 0; i < 4000; i++) {
    const length = random() < 0.3 ? Math.floor(random() * 4) : Math.floor(random() * 300)
    parts.push(Buffer.from(`${'x'.repeat(length)}${random() < 0.1 ? '\r\n' : '\n'}`))
    if (i % 1500 === 0) parts.push(Buffer.from(randomBytes(150_000, i).map((b) => (b === 0x0a ? 0x2e : b))))
  }
  parts.push(randomBytes(300_000, seed))
  return Buffer.concat(parts)
}

function chunkerChunks(kind: CutMode, input: Buffer): Buffer[] {
  const chunker = new Chunker(kind)
  const out: Buffer[] = []
  chunker.push(input, (chunk) => out.push(Buffer.from(chunk)))
  chunker.end((chunk) => out.push(Buffer.from(chunk)))
  return out
}

/** Cuts `input` as the hashing thread does: pieces of `readBytes` read after the bytes left over, up to `maxChunks`. */
function pieceChunks(kind: CutMode, input: Buffer, readBytes: number, maxChunks: number, hashHere: boolean): {chunks: Buffer[]; ids: string[]} {
  const hasher = new PieceHasher(kind)
  const piece: Piece = {bytes: Buffer.alloc(readBytes + CDC.max), count: 0, lengths: new Uint32Array(maxChunks), ids: new IdList(maxChunks), maxChunks}
  const chunks: Buffer[] = []
  const ids: string[] = []
  for (let position = 0, eof = false; !eof;) {
    hasher.begin(piece.bytes)
    const at = hasher.pending
    const read = input.copy(piece.bytes, at, position, position + Math.min(piece.bytes.length - at, input.length - position))
    position += read
    const noMore = position === input.length
    hasher.cut(piece, at + read, noMore, !hashHere)
    if (hashHere) hashPiece(piece)
    if (piece.count > maxChunks || piece.ids.length !== piece.count) throw new Error(`a piece of ${piece.count} chunks and ${piece.ids.length} ids`)
    let offset = 0
    for (let i = 0; i < piece.count; i++) {
      chunks.push(Buffer.from(piece.bytes.subarray(offset, offset + piece.lengths[i])))
      offset += piece.lengths[i]
    }
    ids.push(...piece.ids.toHexArray())
    eof = noMore && hasher.pending === 0
  }
  return {chunks, ids}
}

for (const kind of ['text', 'text-runs', 'binary'] as const) {
  test(`${kind}: pieces of any size, full or not, cut and hash as the streaming chunker does`, (t) => {
    const input = mixedInput(kind === 'binary' ? 2 : 1)
    const expected = chunkerChunks(kind, input)
    const expectedIds = expected.map(sha256Hex)
    const random = seededRandom(3)
    for (let trial = 0; trial < 12; trial++) {
      const readBytes = 1 + Math.floor(random() * 200_000)
      // Down to one chunk a piece: pieces end full, at the end of the input too.
      const maxChunks = trial < 4 ? 1 + trial : 16 + Math.floor(random() * 5000)
      const hashHere = trial % 2 === 1
      const {chunks, ids} = pieceChunks(kind, input, readBytes, maxChunks, hashHere)
      t.is(chunks.length, expected.length, `reads of ${readBytes}, ${maxChunks} chunks a piece`)
      t.true(
        chunks.every((chunk, i) => chunk.equals(expected[i])),
        `reads of ${readBytes}, ${maxChunks} chunks a piece`,
      )
      t.deepEqual(ids, expectedIds)
    }
  })
}

test('a piece without a limit grows its lengths and ids', (t) => {
  const input = Buffer.from('a\n'.repeat(5000))
  const hasher = new PieceHasher('text')
  const piece: Piece = {bytes: Buffer.from(input), count: 0, lengths: new Uint32Array(1), ids: new IdList(1)}
  hasher.cut(piece, input.length, true)
  t.is(piece.count, 5000)
  t.is(piece.ids.length, 5000)
  t.is(piece.lengths[4999], 2)
  t.is(hasher.pending, 0)
})
