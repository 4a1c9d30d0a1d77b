/**
 * The bounded chaos run CI does on every change: a few seeds in both modes, real processes, crashes injected.
 * `npm run chaos -- --minutes 20` is the long run (docs/testing.md).
 */
import test from 'ava'
import {runChaos} from './run-chaos.js'

const runs: {seed: number; mode: 'once' | 'daemon'; ops: number}[] = [
  {seed: 101, mode: 'once', ops: 90},
  {seed: 102, mode: 'daemon', ops: 90},
  {seed: 7, mode: 'daemon', ops: 150},
]

for (const {seed, mode, ops} of runs) {
  test.serial(`chaos: seed ${seed}, ${mode} mode, ${ops} operations on 3 devices`, async (t) => {
    t.timeout(180_000)
    const report = await runChaos({seed, ops, devices: 3, mode})
    t.log(
      `${report.syncRuns} sync runs, crashes ${JSON.stringify(report.crashes)}, ${report.finalFiles} files, ${report.conflictCopies} conflict copies, ${report.linesWritten} lines written, ${report.serverGcRuns} server collections that pruned or reclaimed, ${report.deviceGcRuns} device gc runs`,
    )
    t.true(report.deviceGcRuns > 0, 'devices collected their garbage during the run')
    t.true(report.linesWritten > 0)
    t.true(Object.values(report.crashes).reduce((n, c) => n + c, 0) > 0, 'the schedule injected crashes')
  })
}
