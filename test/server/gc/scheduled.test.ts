/** A garbage collection run by the serving process (`--gc-every`): reported in the metrics and to the operator; a failed run is counted, never thrown. */
import test from 'ava'
import {runScheduledGc} from '#server/gc/gc-schedule.js'
import {DAY_MS} from '#server/gc/plan-retention.js'
import {randomBytes} from '../../helpers/random.js'
import {fileVersion, gcFixture} from './gc-fixture.js'

const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1])

test('a scheduled run shows in /metrics (bytes reclaimed, versions pruned, last run, duration) and tells the operator', async (t) => {
  const f = await gcFixture(t)
  for (let i = 0; i < 3; i++) await f.put('photo.jpg', fileVersion(randomBytes(200_000, i)))
  const notices: string[] = []
  const before = Date.now() / 1000
  await runScheduledGc(f.server.storage, f.server.metrics, (line) => notices.push(line), {now: Date.now() + 200 * DAY_MS, graceMs: 0})
  const admin = f.server.as(await f.server.adminToken())
  const text = (await admin.get('/metrics')).text
  t.true(metric(text, 'sync_gc_reclaimed_bytes_total') >= 300_000, 'two of three 200 KB versions reclaimed')
  t.is(metric(text, 'sync_gc_pruned_versions_total'), 2)
  t.true(metric(text, 'sync_gc_last_run_timestamp_seconds') >= before)
  t.true(metric(text, 'sync_gc_duration_seconds') > 0)
  t.is(metric(text, 'sync_gc_failures_total'), 0)
  t.regex(notices.join('\n'), /^gc home: pruned 2 versions, \d+ -> \d+ bytes in \d+ ms$/m)
})

test('a scheduled run that fails is counted and said, not thrown', async (t) => {
  const f = await gcFixture(t)
  const notices: string[] = []
  await runScheduledGc(f.server.storage, f.server.metrics, (line) => notices.push(line), {namespace: 'nowhere'})
  const text = (await f.server.as(await f.server.adminToken()).get('/metrics')).text
  t.is(metric(text, 'sync_gc_failures_total'), 1)
  t.deepEqual(notices, ['gc stopped: no namespace nowhere'])
})
