/**
 * The chaos run across server instances (issue 16): three sync-server instances on one PostgreSQL database, the
 * devices spread over them, instances SIGKILLed in turn while garbage collection runs on each. A file of its own,
 * so that it runs beside the other chaos runs instead of after them. 60 ops (was 90): seed 43 kills an instance
 * five times in them.
 */
import test from 'ava'
import {freshDatabase} from '../helpers/postgres.js'
import {runChaos} from './run-chaos.js'

test('chaos on PostgreSQL: three server instances, devices spread over them, instances SIGKILLed in turn', async (t) => {
  t.timeout(180_000)
  const report = await runChaos({seed: 43, ops: 60, devices: 3, mode: 'daemon', postgres: {db: await freshDatabase(t), instances: 3}})
  t.log(`${report.syncRuns} sync runs, crashes ${JSON.stringify(report.crashes)}, ${report.finalFiles} files, ${report.linesWritten} lines written`)
  t.true(report.linesWritten > 0)
  t.true((report.crashes['server SIGKILL'] ?? 0) > 0, 'instances were killed')
})
