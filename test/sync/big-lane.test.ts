/**
 * The big lane (src/sync/big-lane.ts), with two daemons in process against a real server: small edits both ways
 * arrive while a big file is uploading and while it is downloading; an interrupted upload or download resumes
 * without moving again what already arrived. Big transfers are slowed by a bandwidth limit so that "while" is
 * certain: each check waits for a condition, never for a time.
 */
import {readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import type {LaneProgress} from '#src/sync/big-lane.js'
import {makeDevice, type Device} from '../helpers/device.js'
import {randomBytes} from '../helpers/random.js'
import {startTestServer} from '../helpers/server.js'
import {tempDir} from '../helpers/temp.js'
import {startDaemon} from '../helpers/test-daemon.js'
import {fileIs, waitFor} from '../helpers/wait-for.js'

const MiB = 1024 * 1024

/** A daemon on `device`, its big transfers' progress in `moves`. */
function daemon(t: ExecutionContext, device: Device) {
  const moves: LaneProgress[] = []
  const {stop} = startDaemon(t, device, {onTransfer: (progress) => moves.push(progress)})
  return {stop, last: () => moves.at(-1)}
}

/** Writes `bytes` into the folder at once (a rename), so no watcher sees it half-written. */
async function putFile(t: ExecutionContext, device: Device, relative: string, bytes: Buffer): Promise<void> {
  const aside = path.join(await tempDir(t, 'sync-lane-'), 'file')
  await writeFile(aside, bytes)
  await rename(aside, device.file(relative))
}

const sameBytes = (file: string, bytes: Buffer) => () =>
  readFile(file).then(
    (got) => got.equals(bytes),
    () => false,
  )
const absent = (file: string) =>
  readFile(file).then(
    () => false,
    () => true,
  )

test('small edits both ways arrive while a big file uploads, and while it downloads', async (t) => {
  const server = await startTestServer(t)
  // 24 MiB at 4 MiB/s up and 3 MiB/s down: seconds of transfer each way, against small edits of milliseconds.
  const a = await makeDevice(t, server, 'a', {bandwidth: {up: 4 * MiB}})
  const b = await makeDevice(t, server, 'b', {bandwidth: {down: 3 * MiB}})
  await writeFile(a.file('a.txt'), 'a 0\n')
  await writeFile(b.file('b.txt'), 'b 0\n')
  const onA = daemon(t, a)
  const onB = daemon(t, b)
  await waitFor('the first files across', async () => (await fileIs(b.file('a.txt'), 'a 0\n')) && fileIs(a.file('b.txt'), 'b 0\n'))

  /** Small edits on both sides, each seen on the other side, while `transfer` (a's upload, then b's download) is under way. */
  const editsCrossDuring = async (round: number, transfer: typeof onA, direction: 'up' | 'down') => {
    await waitFor(`the ${direction}load under way`, () => (transfer.last()?.done ?? 0) > 0)
    await writeFile(a.file('a.txt'), `a ${round}\n`)
    await writeFile(b.file('b.txt'), `b ${round}\n`)
    await waitFor(`small edits ${round} across`, async () => (await fileIs(b.file('a.txt'), `a ${round}\n`)) && fileIs(a.file('b.txt'), `b ${round}\n`))
    const now = transfer.last()!
    t.is(now.direction, direction)
    t.true(now.done < now.total, `the ${direction}load was over (${now.done} of ${now.total}) before the small edits arrived`)
    t.true(await absent(b.file('big.bin')))
  }
  const big = randomBytes(24 * MiB, 13)
  await putFile(t, a, 'big.bin', big)
  await editsCrossDuring(1, onA, 'up')
  await editsCrossDuring(2, onB, 'down')

  await waitFor('the big file on b', sameBytes(b.file('big.bin'), big))
  // Committed with its base like any file: a's record agrees with the server's.
  await waitFor('a agreeing on it', () => a.syncer.state.get('big.bin')?.base?.jid !== undefined)
})

test('an edit of a big file while it uploads supersedes the transfer: the newest version arrives, the older one is never committed', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {bandwidth: {up: 4 * MiB}})
  const b = await makeDevice(t, server, 'b')
  const onA = daemon(t, a)
  daemon(t, b)
  const first = randomBytes(12 * MiB, 21)
  await putFile(t, a, 'big.bin', first)
  await waitFor('the upload under way', () => (onA.last()?.done ?? 0) > 0)
  const second = Buffer.concat([first.subarray(0, 6 * MiB), randomBytes(6 * MiB, 22)])
  await putFile(t, a, 'big.bin', second)
  await waitFor('the newer version on b', sameBytes(b.file('big.bin'), second))
  const log = await a.client.log('big.bin')
  t.is(log.entries.length, 1, 'one version committed: the newer one')
})

test('an upload stopped half-way resumes without sending again what the server stored', async (t) => {
  const server = await startTestServer(t)
  const size = 16 * MiB
  const a = await makeDevice(t, server, 'a', {bandwidth: {up: 4 * MiB}})
  const big = randomBytes(size, 31)
  await putFile(t, a, 'big.bin', big)
  const first = daemon(t, a)
  await waitFor('half of it sent', () => (first.last()?.done ?? 0) >= size / 2)
  await first.stop()
  t.is(a.syncer.state.get('big.bin')?.base, undefined, 'not committed yet')

  const before = a.client.traffic().sent
  const again = daemon(t, a)
  await waitFor('the file committed', () => a.syncer.state.get('big.bin')?.base?.jid !== undefined)
  const sent = a.client.traffic().sent - before
  t.true(sent < size * 0.6, `sent ${sent} bytes again for a file of ${size}`)
  t.true((again.last()?.done ?? 0) < size * 0.6)

  const b = await makeDevice(t, server, 'b')
  await b.pass()
  t.true(await sameBytes(b.file('big.bin'), big)())
})

test('a download stopped half-way resumes from the chunks already stored', async (t) => {
  const server = await startTestServer(t)
  const size = 16 * MiB
  const a = await makeDevice(t, server, 'a')
  const big = randomBytes(size, 41)
  await putFile(t, a, 'big.bin', big)
  await a.pass()
  const b = await makeDevice(t, server, 'b', {bandwidth: {down: 4 * MiB}})
  const first = daemon(t, b)
  await waitFor('half of it received', () => (first.last()?.done ?? 0) >= size / 2)
  await first.stop()
  t.true(await absent(b.file('big.bin')))

  const before = b.client.traffic().received
  daemon(t, b)
  await waitFor('the file on b', sameBytes(b.file('big.bin'), big))
  const received = b.client.traffic().received - before
  t.true(received < size * 0.6, `received ${received} bytes again for a file of ${size}`)
})
