/**
 * A pass's transfer progress (SyncerOptions.onTransfer), between two real devices and a real server: per
 * direction, files and bytes only grow, chunk bytes are reported as packs move (before the files are done), and
 * the last report is done, at the totals the plan gave.
 */
import {randomBytes} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import test, {type ExecutionContext} from 'ava'
import type {TransferProgress} from '#src/sync/transfer-meter.js'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'

const BIG = 3_000_000
const SMALL = 60

function checkTransfer(t: ExecutionContext, reports: TransferProgress[], direction: 'up' | 'down', bytesTotal: number): void {
  t.true(reports.length > 2, `${reports.length} reports`)
  t.true(
    reports.every((r) => r.direction === direction && r.filesTotal === SMALL + 1 && r.bytesTotal === bytesTotal),
    'one transfer, its totals from the plan',
  )
  t.like(reports[0], {files: 0, bytes: 0, done: false})
  for (let i = 1; i < reports.length; i++) {
    t.true(reports[i].files >= reports[i - 1].files && reports[i].bytes >= reports[i - 1].bytes, `report ${i} went back`)
    t.true(reports[i].bytes <= bytesTotal)
  }
  t.true(
    reports.some((r) => r.files === 0 && r.bytes >= BIG / 2),
    "the big file's chunk bytes counted as they moved, before any file was done",
  )
  t.like(reports.at(-1), {files: SMALL + 1, bytes: bytesTotal, done: true})
  t.is(reports.filter((r) => r.done).length, 1)
}

test('transfer progress of a pass that sends and one that receives: monotonic, chunk bytes as they move, ending at the totals', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFile(a.file('photo.jpg'), randomBytes(BIG))
  let bytesTotal = BIG
  for (let i = 0; i < SMALL; i++) {
    const text = `recipe ${i}\n`.repeat(i + 1)
    bytesTotal += Buffer.byteLength(text)
    await writeFile(a.file(`r${i}.cook`), text)
  }
  const sent = await a.pass()
  t.is(sent.uploaded, SMALL + 1)
  checkTransfer(t, a.transfers, 'up', bytesTotal)

  const received = await b.pass()
  t.is(received.downloaded, SMALL + 1)
  checkTransfer(t, b.transfers, 'down', bytesTotal)
  const before = a.transfers.length
  t.is((await a.pass()).uploaded, 0)
  t.is(a.transfers.length, before, 'a pass with nothing to move reports no transfer')
})
