/**
 * The floor of hashing in this runtime: read the file in 1 MiB pieces, cut it into the same chunks as sync
 * does (lines, or content-defined for binary) and SHA-256 each chunk with node:crypto, storing nothing.
 * Usage: node dist/bench/floor.js FILE text|binary
 */
import {open} from 'node:fs/promises'
import {hash} from 'node:crypto'
import {Chunker} from '../src/chunk/chunker.js'

const [file, kind] = process.argv.slice(2)
const handle = await open(file, 'r')
const buffer = Buffer.allocUnsafe(1024 * 1024)
const chunker = new Chunker(kind === 'binary' ? 'binary' : 'text')
let chunks = 0
const sink = (chunk: Buffer) => {
  hash('sha256', chunk)
  chunks++
}
for (;;) {
  const {bytesRead} = await handle.read(buffer, 0, buffer.length, null)
  if (bytesRead === 0) break
  chunker.push(buffer.subarray(0, bytesRead), sink)
}
chunker.end(sink)
await handle.close()
process.stdout.write(`${chunks}\n`)
