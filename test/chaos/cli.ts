/**
 * `npm run chaos -- [--seed N] [--ops M] [--devices D] [--mode once|daemon] [--minutes T] [--postgres N] [--verbose]`:
 * runs the chaos test; with --minutes it runs seed after seed (N, N+1, ...) alternating modes until the time is
 * up, and prints the figures. `--postgres N`: the server is N instances on one PostgreSQL database (a throwaway
 * cluster, test/helpers/postgres.ts), devices spread over them, kills taking them in turn. Any failure prints its
 * seed and mode: rerun exactly that with --seed and --mode.
 */
import {parseArgs} from 'node:util'
import {newDatabase} from '../helpers/postgres.js'
import {runChaos, type ChaosReport} from './run-chaos.js'

const {values} = parseArgs({
  options: {
    seed: {type: 'string', default: '1'},
    ops: {type: 'string', default: '150'},
    devices: {type: 'string', default: '3'},
    mode: {type: 'string'},
    minutes: {type: 'string'},
    postgres: {type: 'string'},
    verbose: {type: 'boolean', default: false},
  },
})

const deadline = values.minutes ? Date.now() + Number(values.minutes) * 60_000 : 0
const totals = {runs: 0, ops: 0, syncRuns: 0, linesWritten: 0, conflictCopies: 0, crashes: {} as Record<string, number>, byMode: {} as Record<string, number>}
let seed = Number(values.seed)
do {
  const mode = (values.mode ?? (totals.runs % 2 === 0 ? 'once' : 'daemon')) as 'once' | 'daemon'
  let report: ChaosReport
  const database = values.postgres ? await newDatabase() : undefined
  try {
    report = await runChaos({
      seed,
      ops: Number(values.ops),
      devices: Number(values.devices),
      mode,
      log: values.verbose ? (l) => console.error(l) : undefined,
      ...(database ? {postgres: {db: database.url, instances: Number(values.postgres)}} : {}),
    })
  } catch (error) {
    console.error(`FAILED seed ${seed} mode ${mode}: ${(error as Error).message}`)
    console.error(
      `reproduce: npm run chaos -- --seed ${seed} --mode ${mode} --ops ${values.ops} --devices ${values.devices}${values.postgres ? ` --postgres ${values.postgres}` : ''}`,
    )
    process.exit(1)
  } finally {
    await database?.drop()
  }
  totals.runs++
  totals.ops += report.ops
  totals.syncRuns += report.syncRuns
  totals.linesWritten += report.linesWritten
  totals.conflictCopies += report.conflictCopies
  totals.byMode[mode] = (totals.byMode[mode] ?? 0) + 1
  for (const [kind, n] of Object.entries(report.crashes)) totals.crashes[kind] = (totals.crashes[kind] ?? 0) + n
  console.log(
    `seed ${seed} ${mode}: ok in ${report.seconds.toFixed(1)} s, ${report.ops} ops, ${report.syncRuns} sync runs, crashes ${JSON.stringify(report.crashes)}, ${report.finalFiles} files (${report.conflictCopies} conflict copies), ${report.linesWritten} lines written, ${report.linesRemovedByUsers} removed by users, ${report.restoredHeld} held deletions undone, ${report.serverGcRuns} server collections that pruned or reclaimed, ${report.deviceGcRuns} device gc runs, quiesced in ${report.quiesceRounds} rounds`,
  )
  seed++
} while (Date.now() < deadline)
console.log(
  `\ntotal: ${totals.runs} runs (${JSON.stringify(totals.byMode)}), ${totals.ops} operations, ${totals.syncRuns} sync runs, ${totals.linesWritten} lines written, ${totals.conflictCopies} conflict copies, crashes injected: ${JSON.stringify(totals.crashes)}`,
)
