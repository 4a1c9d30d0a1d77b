/**
 * The bounded chaos run CI does on every change: one seed per mode, real processes, crashes injected. Each seed
 * was picked for a schedule that takes every kind of step and every client crash point (the test checks it
 * first) in as few ops as any seed of 1-3000 could, so the short run still meets every operation. It replaces
 * three runs (seed 101 once 90 ops, seeds 102 and 7 daemon 90 and 150 ops; 101 never moved a folder or
 * truncated a file); more seeds and longer schedules are the long run's job.
 * `npm run chaos -- --minutes 20` is the long run (docs/testing.md).
 */
import test from 'ava'
import {runChaos} from './run-chaos.js'
import {kindsMissing, schedule} from './schedule.js'

const runs: {seed: number; mode: 'once' | 'daemon'; ops: number}[] = [
  {seed: 1142, mode: 'once', ops: 67},
  {seed: 815, mode: 'daemon', ops: 72},
]

for (const {seed, mode, ops} of runs) {
  test.serial(`chaos: seed ${seed}, ${mode} mode, ${ops} operations on 3 devices`, async (t) => {
    t.timeout(180_000)
    t.deepEqual(kindsMissing(schedule(seed, ops, 3)), [], 'the schedule takes every kind of step')
    const report = await runChaos({seed, ops, devices: 3, mode})
    t.log(
      `${report.syncRuns} sync runs, crashes ${JSON.stringify(report.crashes)}, ${report.finalFiles} files, ${report.conflictCopies} conflict copies, ${report.linesWritten} lines written, ${report.serverGcRuns} server collections that pruned or reclaimed, ${report.deviceGcRuns} device gc runs`,
    )
    t.true(report.deviceGcRuns > 0, 'devices collected their garbage during the run')
    t.true(report.linesWritten > 0)
    t.true(Object.values(report.crashes).reduce((n, c) => n + c, 0) > 0, 'the schedule injected crashes')
  })
}
