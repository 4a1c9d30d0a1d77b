/**
 * `npm run bench [-- --only NAME[,NAME]]`: runs the benchmark suites, prints each figure beside its reference
 * with the ratio, and keeps the rows in bench/results.json (a suite run alone replaces only its own rows).
 */
import {readFile, writeFile} from 'node:fs/promises'
import {parseArgs} from 'node:util'
import {fileURLToPath} from 'node:url'
import {markdownTable, type Row} from './lib/report.js'
import {coldStartSuite} from './suites/cold-start.js'
import {hashifySuite} from './suites/hashify.js'

const suites: Record<string, () => Promise<Row[]>> = {
  hashify: () => hashifySuite(),
  'cold-start': () => coldStartSuite(),
}

const {values} = parseArgs({options: {only: {type: 'string'}}})
const chosen = values.only ? values.only.split(',') : Object.keys(suites)
for (const name of chosen) if (!suites[name]) throw new Error(`unknown suite '${name}'; suites: ${Object.keys(suites).join(', ')}`)

const resultsFile = fileURLToPath(new URL('../../bench/results.json', import.meta.url))
const previous: {rows: Row[]} = await readFile(resultsFile, 'utf8').then(JSON.parse, () => ({rows: []}))
const fresh: Row[] = []
for (const name of chosen) {
  process.stderr.write(`running ${name}...\n`)
  fresh.push(...(await suites[name]()))
}
const rows = [...previous.rows.filter((row) => !chosen.includes(row.suite)), ...fresh]
await writeFile(resultsFile, `${JSON.stringify({date: new Date().toISOString(), node: process.version, rows}, null, 2)}\n`)
console.log(markdownTable(fresh))
