/**
 * `sync hashify` on 100 MB of recipe-like text and 100 MB of random bytes, against the floor of this runtime
 * (bench/floor.ts: read + chunk + SHA-256, storing nothing) and against sha256sum. Goal: ≤ 1.5× the floor,
 * peak RSS < 200 MB.
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {recipeText, seededRandom} from '../generate-recipes.js'
import {median, timeCommand} from '../lib/measure.js'
import type {Row} from '../lib/report.js'

import {repoRoot as root} from '../lib/repo-root.js'
const syncBin = path.join(root, 'bin', 'run.js')
const floorScript = path.join(root, 'dist', 'bench', 'floor.js')
const MB = 1024 * 1024

function randomFile(bytes: number, seed: number): Buffer {
  const random = seededRandom(seed)
  const out = Buffer.allocUnsafe(bytes)
  for (let i = 0; i < bytes; i += 4) out.writeUInt32LE(Math.floor(random() * 2 ** 32), i)
  return out
}

export async function hashifySuite(options: {runs?: number; sizeMb?: number} = {}): Promise<Row[]> {
  const runs = options.runs ?? 3
  const size = (options.sizeMb ?? 100) * MB
  const work = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-hashify-'))
  try {
    const files = {text: path.join(work, 'recipes.txt'), binary: path.join(work, 'random.bin')}
    await writeFile(files.text, recipeText(size, 1))
    await writeFile(files.binary, randomFile(size, 2))
    const rows: Row[] = []
    for (const kind of ['text', 'binary'] as const) {
      const ours: number[] = []
      const floor: number[] = []
      const sha: number[] = []
      let rss = 0
      for (let i = 0; i < runs; i++) {
        const folder = path.join(work, `folder-${kind}-${i}`)
        await timeCommand('node', [syncBin, 'init', folder])
        const t = await timeCommand('node', [syncBin, 'hashify', '-C', folder, files[kind]])
        ours.push(t.seconds)
        rss = Math.max(rss, t.peakRssMb ?? 0)
        floor.push((await timeCommand('node', [floorScript, files[kind], kind])).seconds)
        sha.push((await timeCommand('sha256sum', [files[kind]])).seconds)
        await rm(folder, {recursive: true, force: true})
      }
      const label = kind === 'text' ? `${size / MB} MB recipe-like text` : `${size / MB} MB random binary`
      rows.push(
        {suite: 'hashify', name: `sync hashify, ${label}`, ours: median(ours), reference: median(floor), referenceName: 'node floor', unit: 's', goal: {max: 1.5, on: 'ratio'}},
        {suite: 'hashify', name: `sync hashify, ${label}`, ours: median(ours), reference: median(sha), referenceName: 'sha256sum', unit: 's'},
        {suite: 'hashify', name: `peak RSS, ${label}`, ours: rss, unit: 'MB', goal: {max: 200, on: 'value'}},
      )
    }
    return rows
  } finally {
    await rm(work, {recursive: true, force: true})
  }
}
