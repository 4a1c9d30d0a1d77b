/** Cold start of `sync check-chunk ID` against `node -e 0`, interleaved, medians of 20 runs. Goal: ≤ 2.5×. */
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {execFileSync} from 'node:child_process'
import {median, timeCommand} from '../lib/measure.js'
import type {Row} from '../lib/report.js'

import {repoRoot as root} from '../lib/repo-root.js'
const syncBin = path.join(root, 'bin', 'run.js')

export async function coldStartSuite(options: {runs?: number} = {}): Promise<Row[]> {
  const runs = options.runs ?? 20
  const folder = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-cold-'))
  try {
    execFileSync('node', [syncBin, 'init', folder])
    const id = execFileSync('node', [syncBin, 'hashify', '-C', folder, path.join(root, 'fixtures', 'cookbook', 'Risotto.cook')])
      .toString()
      .split('\n')[0]
    const ours: number[] = []
    const node: number[] = []
    for (let i = 0; i < runs; i++) {
      node.push((await timeCommand('node', ['-e', '0'])).seconds)
      ours.push((await timeCommand('node', [syncBin, 'check-chunk', '-C', folder, id])).seconds)
    }
    return [
      {
        suite: 'cold-start',
        name: 'sync check-chunk ID',
        ours: median(ours) * 1000,
        reference: median(node) * 1000,
        referenceName: 'node -e 0',
        unit: 'ms',
        goal: {max: 2.5, on: 'ratio'},
      },
    ]
  } finally {
    await rm(folder, {recursive: true, force: true})
  }
}
