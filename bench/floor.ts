/**
 * The floor of hashing in this runtime: read the file in 1 MiB pieces, cut it into the same chunks as sync
 * does (lines, runs of lines for a large text file, or content-defined for binary: cut.ts) and SHA-256 each chunk with node:crypto, on one thread,
 * storing nothing. The bytes of a chunk that goes on past a piece move to the front for the next read.
 * Usage: node dist/bench/floor.js FILE text|binary
 */
import {open} from 'node:fs/promises'
import {hash} from 'node:crypto'
import {CDC} from '#src/chunk/cdc.js'
import {cutChunks, cutModeOf} from '#src/chunk/cut.js'

const READ_BYTES = 1024 * 1024
const [file, kindArg] = process.argv.slice(2)
const kind = kindArg === 'binary' ? 'binary' : 'text'
const handle = await open(file, 'r')
const mode = cutModeOf(kind, (await handle.stat()).size)
const buffer = Buffer.allocUnsafe(READ_BYTES + CDC.max)
let carried = 0
let chunks = 0
// A plain Uint8Array view per chunk, as sync hashes them (piece-hasher.ts): cheaper than Buffer#subarray.
const sink = (start: number, end: number) => {
  hash('sha256', new Uint8Array(buffer.buffer, buffer.byteOffset + start, end - start))
  chunks++
}
for (;;) {
  const {bytesRead} = await handle.read(buffer, carried, READ_BYTES, null)
  const end = carried + bytesRead
  const used = cutChunks(mode, buffer.subarray(0, end), bytesRead === 0, sink)
  buffer.copyWithin(0, used, end)
  carried = end - used
  if (bytesRead === 0) break
}
await handle.close()
process.stdout.write(`${chunks}\n`)
