/** StoreRepair on a real device: which failures go to a repair, and that failures met during one are that repair's. */
import test from 'ava'
import {CorruptDataError} from '#src/errors/index.js'
import type {RepairReport} from '#src/sync/repair-folder.js'
import {StoreRepair} from '#src/sync/store-repair.js'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'

test('damage met while a repair is under way goes to it, not reported, and repairs once; damage after it is reported until a pass succeeds', async (t) => {
  const server = await startTestServer(t)
  const device = await makeDevice(t, server, 'a', {cookbook: true})
  await device.pass()
  const reports: RepairReport[] = []
  const repair = new StoreRepair(device.syncer, (report) => reports.push(report))
  const damage = new CorruptDataError('pack 00000001.pack is truncated', {pack: 1})
  t.false(repair.wants(new CorruptDataError('a chunk from the server fails its hash')), 'bad data from the wire is not store damage')
  t.true(repair.wants(damage))
  const first = repair.after(damage)
  // A pass, or the big lane's upload, failing on the same damage meanwhile (the daemon's log said it as an error).
  t.true(repair.wants(damage), 'a failure meanwhile goes to the repair under way')
  t.false(await repair.after(damage), 'and leaves the pass after the repair to the first caller')
  t.false(await first, 'nothing was damaged in this store: no pass again')
  t.is(reports.length, 1, 'repaired once')
  t.false(repair.wants(damage), 'damage again before a pass succeeds is reported')
  repair.passed()
  t.true(repair.wants(damage))
})
