/**
 * The figures behind docs/hashing.md: per-line hashing speed of candidate functions in this runtime, collision
 * odds by id length, and the size of manifests next to the files of the sample cookbook.
 * Usage: node dist/bench/hashing-figures.js
 */
import {getHashes, hash} from 'node:crypto'
import {readdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {Chunker} from '#src/chunk/chunker.js'
import {detectKind} from '#src/chunk/file-kind.js'
import {sha256 as nobleSha256} from '@noble/hashes/sha2.js'
import {recipeText} from './generate-recipes.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

function lines(text: Buffer): Buffer[] {
  const out: Buffer[] = []
  const chunker = new Chunker('text')
  chunker.push(text, (c) => out.push(c))
  chunker.end((c) => out.push(c))
  return out
}

const sample = lines(Buffer.from(recipeText(8 * 1024 * 1024, 3))).filter((l) => l.length > 1)
const bytes = sample.reduce((n, l) => n + l.length, 0)
console.log(`## per-line hashing: ${sample.length} non-blank recipe lines, ${(bytes / sample.length).toFixed(0)} bytes on average`)
console.log('| function | id bytes | ns per line | MB/s |')
console.log('|---|---|---|---|')
const available = new Set(getHashes())
for (const algorithm of ['sha256', 'sha512-256', 'sha512', 'sha1', 'md5', 'sha3-256', 'blake2s256']) {
  if (!available.has(algorithm)) continue
  for (let i = 0; i < 20000; i++) hash(algorithm, sample[i])
  const start = process.hrtime.bigint()
  for (const line of sample) hash(algorithm, line)
  const ns = Number(process.hrtime.bigint() - start) / sample.length
  console.log(`| node:crypto ${algorithm} | ${hash(algorithm, '', 'buffer').length} | ${ns.toFixed(0)} | ${((bytes / sample.length / ns) * 1000).toFixed(0)} |`)
}
{
  const few = sample.slice(0, 100000)
  const start = process.hrtime.bigint()
  for (const line of few) Buffer.from(nobleSha256(line)).toString('hex')
  const ns = Number(process.hrtime.bigint() - start) / few.length
  console.log(`| @noble/hashes sha256 (pure JS) | 32 | ${ns.toFixed(0)} | ${((bytes / sample.length / ns) * 1000).toFixed(0)} |`)
}

console.log('\n## collision odds (birthday bound n^2 / 2^(b+1)) and attack cost (2^(b/2))')
console.log('| id bits | 10^9 chunks | 10^12 chunks | work to find any collision |')
console.log('|---|---|---|---|')
for (const bits of [64, 96, 128, 160, 256]) {
  const odds = (n: number) => Math.min(1, (n * n) / 2 ** (bits + 1))
  console.log(`| ${bits} | ${odds(1e9).toExponential(1)} | ${odds(1e12).toExponential(1)} | 2^${bits / 2} hashes |`)
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await walk(full)))
    else out.push(full)
  }
  return out
}

console.log('\n## manifests of the sample cookbook (fixtures/cookbook)')
let textBytes = 0
let textChunks = 0
let binaryBytes = 0
let binaryChunks = 0
for (const file of await walk(path.join(root, 'fixtures', 'cookbook'))) {
  const data = await readFile(file)
  const kind = detectKind(file, data)
  let n = 0
  const chunker = new Chunker(kind)
  chunker.push(data, () => n++)
  chunker.end(() => n++)
  if (kind === 'text') {
    textBytes += data.length
    textChunks += n
  } else {
    binaryBytes += data.length
    binaryChunks += n
  }
}
console.log('| files | bytes | chunks | bytes per chunk | manifest at 32 B/id | at 16 B/id | at 8 B/id |')
console.log('|---|---|---|---|---|---|---|')
for (const [name, b, c] of [
  ['text', textBytes, textChunks],
  ['binary', binaryBytes, binaryChunks],
] as const) {
  const pct = (idBytes: number) => `${((100 * c * idBytes) / b).toFixed(1)}%`
  console.log(`| ${name} | ${b} | ${c} | ${(b / c).toFixed(0)} | ${c * 32} B (${pct(32)}) | ${pct(16)} | ${pct(8)} |`)
}
