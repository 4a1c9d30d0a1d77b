/**
 * `npm run bench [-- --only NAME[,NAME]]`: runs the benchmark suites, prints each figure beside its reference
 * with the ratio, and keeps the rows in bench/results.json (a suite run alone replaces only its own rows).
 */
import {readFile, writeFile} from 'node:fs/promises'
import {parseArgs} from 'node:util'
import path from 'node:path'
import {repoRoot} from './lib/repo-root.js'
import {markdownTable, type Row} from './lib/report.js'
import {serverBench, serverRows} from './server.js'
import {bigFileSuite} from './suites/big-file.js'
import {blobsSuite} from './suites/blobs.js'
import {coldStartSuite} from './suites/cold-start.js'
import {commitDurabilitySuite} from './suites/commit-durability.js'
import {editLatencySuite} from './suites/edit-latency.js'
import {folderSuite} from './suites/folder.js'
import {gcSuite} from './suites/gc.js'
import {hashifySuite} from './suites/hashify.js'
import {oneLineEditSuite} from './suites/one-line-edit.js'
import {replaySuite} from './suites/replay.js'
import {scaleOutSuite} from './suites/scale-out.js'
import {transferLatencySuite} from './suites/transfer-latency.js'

const suites: Record<string, () => Promise<Row[]>> = {
  hashify: () => hashifySuite(),
  'cold-start': () => coldStartSuite(),
  server: async () => serverRows(await serverBench()),
  latency: () => editLatencySuite(),
  'commit-durability': () => commitDurabilitySuite(),
  'one-line-edit': () => oneLineEditSuite(),
  folder: () => folderSuite(),
  gc: () => gcSuite(),
  'big-file': () => bigFileSuite(),
  transfer: () => transferLatencySuite(),
  blobs: () => blobsSuite(),
  'scale-out': () => scaleOutSuite(),
  replay: () => replaySuite(),
}

const {values} = parseArgs({options: {only: {type: 'string'}}})
const chosen = values.only ? values.only.split(',') : Object.keys(suites)
for (const name of chosen) if (!suites[name]) throw new Error(`unknown suite '${name}'; suites: ${Object.keys(suites).join(', ')}`)

const resultsFile = path.join(repoRoot, 'bench', 'results.json')
const previous: {rows: Row[]} = await readFile(resultsFile, 'utf8').then(JSON.parse, () => ({rows: []}))
const fresh: Row[] = []
for (const name of chosen) {
  process.stderr.write(`running ${name}...\n`)
  const rows = await suites[name]()
  process.stderr.write(`${markdownTable(rows)}\n`)
  fresh.push(...rows)
  // Kept after each suite, so a later suite's failure does not lose the figures already measured.
  const kept = [...previous.rows.filter((row) => !fresh.some((f) => f.suite === row.suite)), ...fresh]
  await writeFile(resultsFile, `${JSON.stringify({date: new Date().toISOString(), node: process.version, rows: kept}, null, 2)}\n`)
}
console.log(markdownTable(fresh))
