/**
 * `sync hashify` on 100 MB of recipe-like text and 100 MB of random bytes, against the floor of this runtime
 * (bench/floor.ts: read + chunk + SHA-256, storing nothing) and against sha256sum. Goal: ≤ 1.2× the floor (issue 20),
 * peak RSS < 200 MB. The ids go to a file, as in `sync hashify F > ids`: read through a pipe by this process
 * instead, the 250 MB of them cost this benchmark's own process a core's worth of work beside the command.
 * Medians of five runs; dirty pages are written back (`sync`) before each timed `sync hashify`.
 */
import {execFile, execFileSync} from 'node:child_process'
import {readFile, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {recipeText, seededRandom} from '../generate-recipes.js'
import {median, timeCommand} from '../lib/measure.js'
import type {Row} from '../lib/report.js'

import {repoRoot as root} from '../lib/repo-root.js'
const syncBin = path.join(root, 'bin', 'run.js')
const floorScript = path.join(root, 'dist', 'bench', 'floor.js')
const MB = 1024 * 1024
const run = promisify(execFile)

function randomFile(bytes: number, seed: number): Buffer {
  const random = seededRandom(seed)
  const out = Buffer.allocUnsafe(bytes)
  for (let i = 0; i < bytes; i += 4) out.writeUInt32LE(Math.floor(random() * 2 ** 32), i)
  return out
}

/** A check that what is timed did the work: as many ids printed as the floor counts chunks. */
async function sameChunkCount(ids: string, file: string, kind: string): Promise<void> {
  const bytes = await readFile(ids)
  let printed = 0
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) printed++
  const counted = Number((await run('node', [floorScript, file, kind])).stdout)
  if (printed !== counted) throw new Error(`sync hashify printed ${printed} ids, the floor counted ${counted} chunks`)
}

export async function hashifySuite(options: {runs?: number; sizeMb?: number} = {}): Promise<Row[]> {
  const runs = options.runs ?? 5
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
        const ids = path.join(work, 'ids.txt')
        await timeCommand('node', [syncBin, 'init', folder])
        // The last run's 100 MB of pack are written back to disk first, not during this one.
        execFileSync('sync')
        const t = await timeCommand('sh', ['-c', 'exec node "$0" hashify -C "$1" "$2" > "$3"', syncBin, folder, files[kind], ids])
        ours.push(t.seconds)
        rss = Math.max(rss, t.peakRssMb ?? 0)
        if (i === 0) await sameChunkCount(ids, files[kind], kind)
        floor.push((await timeCommand('node', [floorScript, files[kind], kind])).seconds)
        sha.push((await timeCommand('sha256sum', [files[kind]])).seconds)
        await rm(folder, {recursive: true, force: true})
        await rm(ids)
      }
      const label = kind === 'text' ? `${size / MB} MB recipe-like text` : `${size / MB} MB random binary`
      rows.push(
        {
          suite: 'hashify',
          name: `sync hashify, ${label}`,
          ours: median(ours),
          reference: median(floor),
          referenceName: 'node floor',
          unit: 's',
          goal: {max: 1.2, on: 'ratio'},
        },
        {suite: 'hashify', name: `sync hashify, ${label}`, ours: median(ours), reference: median(sha), referenceName: 'sha256sum', unit: 's'},
        {suite: 'hashify', name: `peak RSS, ${label}`, ours: rss, unit: 'MB', goal: {max: 200, on: 'value'}},
      )
    }
    return rows
  } finally {
    await rm(work, {recursive: true, force: true})
  }
}
