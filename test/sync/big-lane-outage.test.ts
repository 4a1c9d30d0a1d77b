/**
 * The big lane while the server is down (src/sync/big-lane.ts): a transfer cut by the outage is reported once,
 * by the file's name; the lane asks the server again less and less often, saying nothing more; and once the
 * server answers, the transfer resumes and the file is committed. A relay plays the outage and counts the
 * lane's attempts, so each step waits for a condition, never for a time.
 */
import {rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import type {LaneProgress} from '#src/sync/big-lane.js'
import {makeDevice} from '../helpers/device.js'
import {startOutageProxy} from '../helpers/outage-proxy.js'
import {randomBytes} from '../helpers/random.js'
import {startTestServer} from '../helpers/server.js'
import {tempDir} from '../helpers/temp.js'
import {startDaemon} from '../helpers/test-daemon.js'
import {waitFor} from '../helpers/wait-for.js'

const MiB = 1024 * 1024

test('a big upload cut by an outage is reported once by name, retried with backoff in silence, and resumes when the server is back', async (t) => {
  const server = await startTestServer(t)
  const proxy = await startOutageProxy(t, server.url)
  // 16 MiB at 2 MiB/s: the upload is surely under way when the server goes down.
  const a = await makeDevice(t, {...server, url: proxy.url, token: server.token}, 'a', {bandwidth: {up: 2 * MiB}})
  const moves: LaneProgress[] = []
  // The daemon's own probe is slowed to an hour: the attempts the relay counts during the outage are the lane's.
  const {errors} = startDaemon(t, a, {probeMs: 3_600_000, onTransfer: (progress) => moves.push(progress)})
  const aside = path.join(await tempDir(t, 'sync-outage-'), 'big.bin')
  const big = randomBytes(16 * MiB, 31)
  await writeFile(aside, big)
  await rename(aside, a.file('big.bin'))
  await waitFor('the upload under way', () => (moves.at(-1)?.done ?? 0) > 0)

  proxy.down()
  // Backoff from 50 ms to 400 ms (the test daemon's bounds): eight attempts take seconds; a fixed retry would have
  // reported each of them.
  await waitFor('the lane to try eight times', () => proxy.refused >= 8)
  const aboutBig = errors.filter((message) => message.includes('big.bin'))
  t.is(aboutBig.length, 1, `reported: ${JSON.stringify(errors)}`)
  t.true(errors.length <= 3, `one line each from the lane, the long-poll and a pass at most: ${JSON.stringify(errors)}`)

  proxy.up()
  await waitFor('the big file committed', async () => {
    const head = await server.storage.journal.entry('recipes', await server.storage.journal.head('recipes'))
    return head?.path === 'big.bin' && head.size === big.length
  })
  t.is(errors.filter((message) => message.includes('big.bin')).length, 1)
})
